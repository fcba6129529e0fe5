"""bench/run's own PostgreSQL server: a throwaway cluster in bench/data/pg,
started for a run and stopped after it, that holds `bench`, a copy of
bench/data/bench.db made by `appt db copy`, kept from run to run.

The server listens on a Unix socket only, in a directory of its own, and
lets the superuser `bench` in without a password (trust): nothing but this
run can reach it.  Run as root, the server runs as the user `postgres`
(initdb refuses root); run as anyone else, as that user.  Every command
(initdb, pg_ctl, psql) is the server's own binary, from
`pg_config --bindir` or BENCH_PG_BIN, never Debian's pg_wrapper, whose Perl
start-up would weigh on psql's floor."""

import os
import pwd
import shutil
import subprocess
import tempfile
import time

from benchlib import DATA_DIR, DB

PG_DIR = os.path.join(DATA_DIR, "pg")
CLUSTER = os.path.join(PG_DIR, "cluster")
SERVER_LOG = os.path.join(PG_DIR, "server.log")
# Written once bench.db's copy is complete and checked; older than
# bench.db, the copy is made again.
LOADED = os.path.join(PG_DIR, "loaded")

SUPERUSER = "bench"
DATABASE = "bench"              # the copy of bench.db
MAINTENANCE = "postgres"        # where databases are made and dropped
PORT = 5432                     # only names the socket, in a directory of our own
KEPT = (DATABASE, MAINTENANCE, "template0", "template1")


class ServerError(Exception):
    pass


def server_bindir():
    """The directory of initdb, pg_ctl, postgres and psql, or None."""
    bindir = os.environ.get("BENCH_PG_BIN")
    if not bindir and shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        bindir = found.stdout.strip() if found.returncode == 0 else None
    if bindir and all(os.access(os.path.join(bindir, name), os.X_OK)
                      for name in ("initdb", "pg_ctl", "postgres", "psql")):
        return bindir
    return None


def server_account():
    """The user the server runs as: postgres when we are root, else us."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise ServerError("running as root, the server must run as the user 'postgres',"
                          " and there is none (initdb refuses root)") from None


class Server:
    """The bench's server, started by `with Server() as server:`, stopped after."""

    def __init__(self):
        self.bindir = server_bindir()
        if not self.bindir:
            raise ServerError("no PostgreSQL server binaries (initdb, pg_ctl, postgres,"
                              " psql): install postgresql, or set BENCH_PG_BIN to their"
                              " directory")
        self.account = server_account()
        self.socket_dir = None
        self.load_seconds = None   # how long loading bench.db took, when this run did

    # ---- running its programs ----

    def program(self, name):
        return os.path.join(self.bindir, name)

    def as_server(self, argv):
        """argv run as the server's user."""
        if self.account:
            return ["runuser", "-u", self.account.pw_name, "--"] + argv
        return argv

    def own(self, path):
        if self.account:
            os.chown(path, self.account.pw_uid, self.account.pw_gid)

    def uri(self, database):
        return (f"postgresql:///{database}?host={self.socket_dir}&port={PORT}"
                f"&user={SUPERUSER}")

    def psql(self, database, *options):
        """psql on database: no psqlrc, quiet, stopping at the first error."""
        return [self.program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-d", self.uri(database)] + list(options)

    def query(self, sql, database=MAINTENANCE):
        """sql's result rows, each a list of its fields as text."""
        done = subprocess.run(self.psql(database, "-A", "-t", "-F", "\t", "-c", sql),
                              env=client_env(), capture_output=True, text=True)
        if done.returncode:
            raise ServerError(f"psql: {sql}: {done.stderr.strip()}")
        return [line.split("\t") for line in done.stdout.splitlines()]

    def value(self, sql, database=MAINTENANCE):
        return self.query(sql, database)[0][0]

    # ---- the cluster ----

    def version(self):
        """The server's major version, as its binaries say it."""
        out = subprocess.run([self.program("postgres"), "--version"], capture_output=True,
                             text=True, check=True).stdout
        return out.split()[-1].split(".")[0]

    def includedir(self):
        """Where libpq's headers are, for bench/pqtrace.c."""
        config = self.program("pg_config")
        if os.access(config, os.X_OK):
            return subprocess.run([config, "--includedir"], capture_output=True, text=True,
                                  check=True).stdout.strip()
        return "/usr/include/postgresql"

    def description(self):
        """A line for the report: the server, its settings, the database."""
        loaded = (f"copied from {os.path.basename(DB)} by appt db copy in"
                  f" {self.load_seconds / 60:.1f} min this run" if self.load_seconds else
                  f"copied from {os.path.basename(DB)} by appt db copy in an earlier run")
        settings = ", ".join(f"{name} {self.setting(name)}" for name in
                             ("fsync", "synchronous_commit", "shared_buffers", "lc_collate"))
        return (f"{self.setting('server_version').split()[0]} ({self.bindir}), Unix socket,"
                f" {settings}; {os.path.relpath(CLUSTER)} {DATABASE}:"
                f" {self.size_mb(DATABASE):.0f} MB, {loaded}")

    def make_cluster(self):
        """A new cluster in CLUSTER, unless one of this server's version is there."""
        version_file = os.path.join(CLUSTER, "PG_VERSION")
        if os.path.exists(version_file):
            with open(version_file) as f:
                if f.read().strip() == self.version():
                    return
        shutil.rmtree(PG_DIR, ignore_errors=True)
        os.makedirs(PG_DIR)
        self.own(PG_DIR)
        # C collation: SQLite's own (binary) order, and the fastest.
        subprocess.run(self.as_server([self.program("initdb"), "-D", CLUSTER,
                                       "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                                       "--locale=C"]),
                       check=True, stdout=subprocess.DEVNULL)

    def pg_ctl(self, *args, check=True):
        return subprocess.run(self.as_server([self.program("pg_ctl"), "-D", CLUSTER]
                                             + list(args)),
                              check=check, stdout=subprocess.DEVNULL)

    def start(self):
        # A server a killed run left behind: ours, on our data directory.
        if self.pg_ctl("status", check=False).returncode == 0:
            self.pg_ctl("stop", "-m", "fast")
        self.socket_dir = tempfile.mkdtemp(prefix="appt-bench-pg-")
        self.own(self.socket_dir)
        if os.path.exists(SERVER_LOG):  # the log is this run's
            os.remove(SERVER_LOG)
        options = f"-c listen_addresses='' -k {self.socket_dir} -p {PORT}"
        self.pg_ctl("start", "-w", "-t", "120", "-l", SERVER_LOG, "-o", options)

    def stop(self):
        self.pg_ctl("stop", "-w", "-m", "fast", check=False)
        if self.socket_dir:
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    def __enter__(self):
        self.make_cluster()
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        try:
            self.drop_scratch_databases()
        finally:
            self.stop()

    # ---- databases ----

    def create_database(self, name, template=None):
        """A new database name, empty or a copy of template (a file copy,
        the fastest for a large one); one of that name goes first."""
        self.drop_database(name)
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}" STRATEGY FILE_COPY'
        self.query(sql)

    def drop_database(self, name):
        self.query(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_scratch_databases(self):
        for (name,) in self.query("SELECT datname FROM pg_database"):
            if name not in KEPT:
                self.drop_database(name)

    def size_mb(self, database):
        return int(self.value(f"SELECT pg_database_size('{database}')")) / 2**20

    def setting(self, name):
        return self.value(f"SELECT current_setting('{name}')")

    # ---- the bench database ----

    def loaded(self):
        """Whether DATABASE holds a complete copy of the current bench.db."""
        return (os.path.exists(LOADED)
                and os.path.getmtime(LOADED) >= os.path.getmtime(DB)
                and [DATABASE] in self.query("SELECT datname FROM pg_database"))

    def load(self, app, app_env):
        """Copies bench.db into DATABASE with `appt db copy`, unless it is
        there already; brings it to the build's schema with `appt init`."""
        env = client_env(app_env(DB))
        if not self.loaded():
            if os.path.exists(LOADED):
                os.remove(LOADED)
            self.create_database(DATABASE)
            print(f"bench/run: copying {os.path.relpath(DB)} into PostgreSQL"
                  " (appt db copy, several minutes)...", flush=True)
            began = time.perf_counter()
            subprocess.run([app, "db", "copy", "-q", "--to", self.uri(DATABASE)], env=env,
                           check=True)
            self.query("VACUUM (ANALYZE)", DATABASE)
            self.load_seconds = time.perf_counter() - began
            open(LOADED, "w").close()
            print(f"bench/run: copied in {self.load_seconds:.0f} s,"
                  f" {self.size_mb(DATABASE):.0f} MB", flush=True)
        subprocess.run([app, "init"], env=dict(env, APPT_DB=self.uri(DATABASE)), check=True,
                       stdout=subprocess.DEVNULL)


def client_env(env=None):
    """env without the libpq variables that could steer a client elsewhere:
    the URI says where to connect, and nothing else is set."""
    env = dict(os.environ if env is None else env)
    for name in list(env):
        if name.startswith("PG"):
            del env[name]
    return env
