"""The gradebook's SQLAlchemy URL: one function builds a folder's SQLite URL, one reads it back.

    gradebook_url(folder)           sqlite:////abs/folder/gradebook.db (or the db_url given)
    sqlite_path(url)                /abs/folder/gradebook.db; None for PostgreSQL and the like

Parsing is sqlalchemy's (`make_url`), the same that nbgrader's Gradebook uses to open the URL.
"""

import pathlib

import sqlalchemy

FILE_NAME = "gradebook.db"


def gradebook_url(folder, db_url=None):
    """db_url when given, else the URL of the SQLite gradebook `folder/gradebook.db` (absolute)."""
    if db_url:
        return db_url
    path = pathlib.Path(folder).resolve() / FILE_NAME
    return sqlalchemy.URL.create("sqlite", database=str(path)).render_as_string(
        hide_password=False)


def sqlite_path(db_url):
    """The file a SQLite URL names (a Path), or None for another database or an in-memory one."""
    url = sqlalchemy.make_url(db_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return pathlib.Path(url.database)
