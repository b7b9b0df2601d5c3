"""The assessment app's models, split by subject:

- materials: teacher materials and the school's review (提升计划, 能力点, 提升总结,
  研修考核, 应用能力点测评, 典型案例);
- acceptance: whole-school acceptance (整校推进验收): the district's scheme with
  its rubric and proof checklist, the school's materials and self-score, the
  experts' scores, the district's decision;
- stats: per-school figures of a cycle kept for the district's pages;
- exports: the district's .xlsx exports built by a task.

Callers import from `assessment.models`.
"""

from .acceptance import *  # noqa: F403
from .exports import *  # noqa: F403
from .materials import *  # noqa: F403
from .stats import *  # noqa: F403
