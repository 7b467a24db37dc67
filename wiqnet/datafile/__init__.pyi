"""The data file: read with positions, validate, load into a Directory, edit, reload."""

from .checks import MAX_CHECK_NOTE, record_check
from .edit import add_link, check_link, edit_data_file, link_source, remove_link
from .history import (
    ACTIONS,
    FieldChange,
    HistoryEntry,
    Journal,
    LoggedLink,
    history,
    history_path,
    logged_links,
)
from .load import QUARTERS_FILE, load_directory, load_quarters
from .records import add_institution, retire_institution, update_institution
from .reload import DirectoryHolder
from .store import Document, atomic_write_bytes, load_yaml, load_yaml_cached, parse_yaml
from .validate import schema_path, validate_document

__all__ = [
    "ACTIONS",
    "MAX_CHECK_NOTE",
    "QUARTERS_FILE",
    "DirectoryHolder",
    "Document",
    "FieldChange",
    "HistoryEntry",
    "Journal",
    "LoggedLink",
    "add_institution",
    "add_link",
    "atomic_write_bytes",
    "check_link",
    "edit_data_file",
    "history",
    "history_path",
    "link_source",
    "load_directory",
    "load_quarters",
    "load_yaml",
    "load_yaml_cached",
    "logged_links",
    "parse_yaml",
    "record_check",
    "remove_link",
    "schema_path",
    "retire_institution",
    "update_institution",
    "validate_document",
]
