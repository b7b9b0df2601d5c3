"""Uploaded files: checked by their real content, stored under generated names in
private storage (default_storage, local disk or S3), and served only through
views that ran an access helper first. Video is served with HTTP Range support
so the <video> tag can seek without downloading hundreds of MB."""

import codecs
import mimetypes
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

import filetype
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse

from accounts.exports import sandbox
from accounts.sizes import MB, limit_text, too_big_message


@dataclass(frozen=True)
class UploadPolicy:
    label: str
    extensions: frozenset[str]
    max_bytes: int
    video_max_bytes: int = 0
    # The unit limits are stated in: "MB", or "KB" where the rule is written in KB.
    unit: str = "MB"

    def limit_text(self, limit: int) -> str:
        return limit_text(limit, self.unit)

    def limit_for(self, ext: str) -> int:
        if ext in VIDEO_EXTS and self.video_max_bytes:
            return self.video_max_bytes
        return self.max_bytes

    @property
    def accept(self) -> str:
        return ",".join(f".{e}" for e in sorted(self.extensions))

    def widget_attrs(self) -> dict:
        """What static/js/uploads.js needs to check a file before uploading it."""
        attrs = {"accept": self.accept, "data-max-bytes": self.max_bytes}
        if self.unit == "KB":
            attrs["data-size-unit"] = "KB"
        if self.video_max_bytes:
            attrs["data-video-max-bytes"] = self.video_max_bytes
        return attrs

    @property
    def help_text(self) -> str:
        exts = "、".join(sorted(self.extensions))
        text = f"允许的格式：{exts}；单个文件不超过 {self.limit_text(self.max_bytes)}"
        if self.video_max_bytes:
            text += f"，视频不超过 {self.video_max_bytes // MB} MB"
        return text + "。"


DOC_EXTS = {"pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "txt"}
IMAGE_EXTS = {"jpg", "jpeg", "png"}
VIDEO_EXTS = {"mp4", "m4v", "mov", "webm"}

HOMEWORK = UploadPolicy("研修作业", frozenset(DOC_EXTS | IMAGE_EXTS), 20 * MB)
EVIDENCE = UploadPolicy(
    "佐证材料", frozenset(DOC_EXTS | IMAGE_EXTS | VIDEO_EXTS), 20 * MB, 1024 * MB
)
LESSON_VIDEO = UploadPolicy("课堂视频", frozenset(VIDEO_EXTS), 1024 * MB, 1024 * MB)

# What filetype must find in the first bytes for each allowed extension.
# "txt" has no magic number: it must decode as UTF-8 (or GB18030) and hold no NUL.
CONTENT_MATCHES = {
    "pdf": {"pdf"},
    "doc": {"doc"},
    "xls": {"xls", "doc"},  # OLE2 containers look alike: _ole_streams tells them apart
    "ppt": {"ppt", "doc"},
    "docx": {"docx", "zip"},  # and then _office_parts checks the package's own parts
    "xlsx": {"xlsx", "zip"},
    "pptx": {"pptx", "zip"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
    "mp4": {"mp4", "m4v", "mov"},
    "m4v": {"mp4", "m4v", "mov"},
    "mov": {"mov", "mp4", "m4v"},
    "webm": {"webm", "mkv"},
}


class UploadRefused(Exception):
    """A file that may not be stored; the message says why, in Chinese."""


def check_upload(upload, policy: UploadPolicy) -> str:
    """Check one uploaded file against `policy`; return its content type.

    Reads only the first 8 KB: the file may be a temporary file of several
    hundred MB (FILE_UPLOAD_MAX_MEMORY_SIZE streams big uploads to disk)."""
    name = upload.name or ""
    ext = PurePosixPath(name).suffix.lower().lstrip(".")
    if ext not in policy.extensions:
        raise UploadRefused(f"“{name}”的格式不被接受。{policy.help_text}")
    limit = policy.limit_for(ext)
    if upload.size > limit:
        raise UploadRefused(
            too_big_message(what=f"“{name}”", size=upload.size, limit=limit, unit=policy.unit)
        )
    if upload.size == 0:
        raise UploadRefused(f"“{name}”是空文件。")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mismatch = UploadRefused(f"“{name}”的实际内容与扩展名 .{ext} 不符，已拒绝上传。")
    if ext == "txt":
        if (
            kind is not None
            or b"\x00" in head
            or not _decodes(head, whole=len(head) >= upload.size)
        ):
            raise UploadRefused(f"“{name}”的内容不是文本文件，与扩展名不符。")
        if _HTML_START.search(head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")):
            # A browser asked to show it might run it as a page.
            raise UploadRefused(f"“{name}”是网页（HTML）内容，不能作为 .txt 上传。")
        return "text/plain; charset=utf-8"
    if kind is None or kind.extension not in CONTENT_MATCHES[ext]:
        raise mismatch
    if ext in OFFICE_PARTS and not _office_parts(upload, ext):
        raise mismatch
    if ext in OLE_STREAMS and not _ole_streams(upload, ext):
        raise mismatch
    return mimetypes.guess_type(f"x.{ext}")[0] or kind.mime


# An Office Open XML package must hold its own main part, not just be any zip.
OFFICE_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
# An OLE2 (compound) file of each old Office kind holds its own main stream;
# its name is written in UTF-16 in the directory.
OLE_STREAMS = {
    "doc": "WordDocument",
    "xls": "Workbook",  # "Book" in Excel 5/95 files
    "ppt": "PowerPoint Document",
}
_HTML_START = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|script|iframe|svg|meta|object|embed|a\s|img\s|style)",
    re.I,
)


def _office_parts(upload, ext: str) -> bool:
    """A real Word/Excel/PowerPoint package: a zip with [Content_Types].xml and
    the kind's main part (reads only the zip's directory, not its contents)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and OFFICE_PARTS[ext] in names


def _ole_streams(upload, ext: str) -> bool:
    """A real .doc (.xls, .ppt): an OLE2 file whose directory names the kind's
    main stream. The directory entries are found by their UTF-16 names, read in
    1 MB pieces; an OLE file of another kind (an .msi, another Office file
    renamed) lacks the stream."""
    wanted = [OLE_STREAMS[ext].encode("utf-16-le")]
    if ext == "xls":
        wanted.append("Book".encode("utf-16-le") + b"\x00\x00")
    upload.seek(0)
    try:
        if upload.read(8) != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return False
        tail = b""
        while chunk := upload.read(1024 * 1024):
            data = tail + chunk
            if any(w in data for w in wanted):
                return True
            tail = data[-64:]
        return False
    finally:
        upload.seek(0)


def _decodes(head: bytes, *, whole: bool) -> bool:
    """Whether `head` reads as text in UTF-8 (or GB18030). `whole`: it is the
    entire file, so it must end on a whole character; otherwise it is the first
    8 KB, whose cut may fall inside a multi-byte character. An incremental
    decoder keeps exactly such a cut character back instead of failing, while
    an invalid byte anywhere before it still fails. (Dropping a fixed number of
    bytes from the end instead broke Chinese files without a final newline:
    the cut then fell inside their last character.)"""
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=whole)
            return True
        except UnicodeDecodeError:
            continue
    return False


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 512 * 1024


def _content_disposition(filename: str, inline: bool) -> str:
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename*=UTF-8''{quote(filename)}"


def serve_file(request, field_file, *, filename: str, content_type: str, inline: bool = False):
    """Stream a stored file; answer Range requests with 206 partial content.

    Call only after the access helper has allowed the request. A file the
    storage no longer holds answers 404, like a missing one."""
    try:
        size = field_file.size
    except FileNotFoundError:
        raise Http404("文件不存在或已被删除。") from None
    header = request.headers.get("Range", "")
    match = _RANGE.match(header.strip()) if header else None
    if match and (match.group(1) or match.group(2)):
        start_s, end_s = match.groups()
        if start_s:
            start = int(start_s)
            end = min(int(end_s), size - 1) if end_s else size - 1
        else:  # "bytes=-500": the last 500 bytes
            start = max(size - int(end_s), 0)
            end = size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        length = end - start + 1
        handle = field_file.open("rb")
        handle.seek(start)

        def chunks(remaining=length):
            try:
                while remaining > 0:
                    data = handle.read(min(CHUNK, remaining))
                    if not data:
                        break
                    remaining -= len(data)
                    yield data
            finally:
                handle.close()

        response = StreamingHttpResponse(chunks(), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = _content_disposition(filename, inline)
    sandbox(response)
    response["Cache-Control"] = "private, max-age=0"
    return response


_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|]')


def archive_name(name: str, fallback: str = "未命名") -> str:
    """One safe path component of a zip entry, from a display or file name that
    anyone typed: no path separators, no "..", no control characters, no
    leading dots or spaces (so no absolute or parent path on any system),
    at most 80 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_IN_NAME.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name).strip(" .")
    return name[:80].rstrip(" .") or fallback


MISSING_IN_ZIP = "这个文件在平台的存储中找不到了，请联系平台管理员。"


def homework_zip_file(submissions):
    """A folder per member with the text and the files of their submission, in a
    temporary file (big submissions don't sit in memory), rewound for reading.
    Every entry name is built from sanitised names (archive_name): a member
    called "../../x" can't write outside the archive's folder when unpacked.
    The caller's response closes it."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the FileResponse closes it
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission in submissions:
            folder = f"{archive_name(submission.user.display_name)}_{submission.user.pk}"
            if submission.text:
                archive.writestr(f"{folder}/作业内容.txt", submission.text)
            for i, f in enumerate(submission.files.all(), start=1):
                entry = f"{folder}/{i}_{archive_name(f.original_name, fallback='文件')}"
                try:
                    src = f.file.open("rb")
                except FileNotFoundError:
                    # One file lost from storage does not cost the leader the others.
                    archive.writestr(f"{entry}（缺失）.txt", MISSING_IN_ZIP)
                    continue
                with src, archive.open(entry, "w", force_zip64=True) as dst:
                    for chunk in iter(lambda src=src: src.read(CHUNK), b""):
                        dst.write(chunk)
    spool.seek(0)
    return spool
