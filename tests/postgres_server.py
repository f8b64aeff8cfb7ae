"""A throwaway PostgreSQL server for tests, from the binaries the `pgserver` wheel ships.

The server listens on a unix socket in its own folder only (no TCP port, so parallel test workers
never collide) and is reached through psycopg 3: `postgresql+psycopg://postgres@/DB?host=SOCKETDIR`.

PostgreSQL refuses to run as root. As root, the server runs in a user namespace of its own
(`unshare --user`) in which it is `nobody`, while that uid maps to root outside: it owns its data
folder without any chown, chmod or new system user. `setpriv --pdeathsig` stops the server (fast
shutdown) if the thread that started it dies without stopping it, so start it from a thread that
outlives it (pytest's main thread does).
"""

import contextlib
import importlib.util
import os
import pathlib
import pwd
import shutil
import signal
import subprocess
import tempfile
import time

# A unix socket path holds at most 107 bytes, and postgres adds "/.s.PGSQL.5432" to the folder.
SOCKET_FOLDER_MAX = 107 - len("/.s.PGSQL.5432")


class PostgresUnavailable(RuntimeError):
    """The packages or system tools the server needs are missing."""


def binaries():
    """The folder of PostgreSQL executables inside the installed pgserver package."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise PostgresUnavailable("the pgserver package is not installed "
                                  "(pip install -r requirements.txt installs it)")
    folder = pathlib.Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"
    if not (folder / "postgres").is_file():
        raise PostgresUnavailable(f"pgserver has no postgres executable in {folder}")
    return folder


def _wrapper():
    """The command prefix that runs a PostgreSQL executable as a non-root user."""
    tools = {name: shutil.which(name) for name in ("setpriv", "unshare")}
    if tools["setpriv"] is None:
        raise PostgresUnavailable("setpriv (util-linux) is not on PATH")
    prefix = [tools["setpriv"], "--pdeathsig", "INT"]
    if os.geteuid() != 0:
        return prefix
    if tools["unshare"] is None:
        raise PostgresUnavailable("unshare (util-linux) is not on PATH; PostgreSQL cannot run as root")
    nobody = pwd.getpwnam("nobody")    # initdb needs its uid to have a passwd entry
    return prefix + [tools["unshare"], "--user", f"--map-user={nobody.pw_uid}",
                     f"--map-group={nobody.pw_gid}"]


def check_available():
    """Raise PostgresUnavailable unless the server binaries, the driver and the tools are here."""
    binaries()
    _wrapper()
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        raise PostgresUnavailable(f"the psycopg driver cannot be imported ({error})") from None


def _environment():
    """This process's environment without PG* variables that could redirect the server."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")} | {"LC_ALL": "C"}


class PostgresServer:
    """A PostgreSQL server whose data, socket and log live in `folder`, removed by stop()."""

    def __init__(self, folder):
        self.folder = pathlib.Path(folder).resolve()
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.sockets = self.folder / "run"
        self.process = None
        self._own_sockets = None

    def start(self, timeout=60):
        """initdb, then start the server and wait until it accepts connections."""
        check_available()
        bin_dir, wrapper, env = binaries(), _wrapper(), _environment()
        self.folder.mkdir(parents=True, exist_ok=True)
        if len(str(self.sockets)) > SOCKET_FOLDER_MAX:
            self._own_sockets = self.sockets = pathlib.Path(tempfile.mkdtemp(prefix="pg-"))
        self.sockets.mkdir(mode=0o700, exist_ok=True)
        init = subprocess.run(wrapper + [str(bin_dir / "initdb"), "-D", str(self.data),
                                         "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                         "--locale=C", "--no-sync"],
                              check=False, env=env, capture_output=True, text=True,
                              timeout=timeout)
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed ({init.returncode}):\n{init.stdout}{init.stderr}")
        settings = {"listen_addresses": "", "unix_socket_directories": str(self.sockets),
                    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                    "shared_buffers": "16MB", "max_connections": "40"}
        command = [str(bin_dir / "postgres"), "-D", str(self.data)]
        for name, value in settings.items():
            command += ["-c", f"{name}={value}"]
        with open(self.log, "wb") as log:
            # With `unshare` not forking, the process started here is the postmaster itself.
            self.process = subprocess.Popen(wrapper + command, env=env, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT)
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout):
        import psycopg
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                psycopg.connect(**self._connect_args("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"postgres did not start in {timeout} s:\n"
                                       f"{self.log_text()}") from None
                time.sleep(0.1)

    def _connect_args(self, database):
        return {"host": str(self.sockets), "user": "postgres", "dbname": database}

    def create_database(self, name):
        """Create database `name`; return its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql
        with psycopg.connect(**self._connect_args("postgres"), autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def url(self, database):
        """The SQLAlchemy URL of `database` on this server (psycopg 3 over the unix socket)."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.sockets}"

    def log_text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, timeout=30):
        """Fast shutdown (SIGINT; SIGKILL if it hangs), then remove the folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._own_sockets is not None:
            shutil.rmtree(self._own_sockets, ignore_errors=True)


@contextlib.contextmanager
def postgres_database(folder, name="gradebook"):
    """A running server in `folder` with one database `name`; yields its SQLAlchemy URL."""
    server = PostgresServer(folder)
    try:
        server.start()
        yield server.create_database(name)
    finally:
        server.stop()
