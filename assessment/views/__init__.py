"""Views by who uses them: teacher, leader, school (admin), info_team, files
(downloads for everyone allowed)."""
