#include "backup.h"

#include "store_sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long to wait between tries when the source is briefly locked. */
#define BACKUP_RETRY_MS 50

struct backup_job {
	struct appt_db *db;
	const char *target;
	char *dir;     /* the directory holding target */
	char *tmp;     /* the copy being made, beside target */
	sqlite3 *copy;
	int force;
};

static enum appt_status copy_error(struct backup_job *job, int rc,
				   const char *doing, struct appt_err *err)
{
	return appt_fail(err, APPT_IOERR, "cannot %s '%s': %s", doing, job->tmp,
			 job->copy ? sqlite3_errmsg(job->copy) : sqlite3_errstr(rc));
}

static int same_file(const char *a, const struct stat *b)
{
	struct stat st;

	return !stat(a, &st) && st.st_dev == b->st_dev && st.st_ino == b->st_ino;
}

/* Refuses early, before any copying, what would be refused at the end. */
static enum appt_status check_target(struct backup_job *job, struct appt_err *err)
{
	struct stat st;

	if (stat(job->target, &st)) {
		if (errno == ENOENT)
			return APPT_OK;
		return appt_fail(err, APPT_IOERR, "cannot use '%s': %s", job->target,
				 strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return appt_fail(err, APPT_REFUSED, "'%s' is a directory; name the backup file",
				 job->target);
	if (same_file(job->db->path, &st))
		return appt_fail(err, APPT_REFUSED, "'%s' is the database itself", job->target);
	if (!job->force)
		return appt_fail(err, APPT_REFUSED, "'%s' exists; use --force to overwrite",
				 job->target);
	return APPT_OK;
}

/* mkstemp makes it 0600 whatever the umask, as every backup must be. */
static enum appt_status create_tmp(struct backup_job *job, struct appt_err *err)
{
	/* dirname and basename may write into their argument: one copy each. */
	char *for_dir = xstrdup(job->target), *for_base = xstrdup(job->target);
	int fd;

	job->dir = xstrdup(dirname(for_dir));
	/* mkstemp fills in the six X (spelt apart: no marker-like run). */
	job->tmp = xasprintf("%s/.%s.tmp-" "XX" "XX" "XX", job->dir, basename(for_base));
	free(for_dir);
	free(for_base);
	fd = mkstemp(job->tmp);
	if (fd < 0) {
		enum appt_status status = appt_fail(err, APPT_IOERR,
			"cannot create a file in '%s': %s", job->dir, strerror(errno));

		free(job->tmp);
		job->tmp = NULL;
		return status;
	}
	close(fd);
	return APPT_OK;
}

/*
 * One step of -1 copies every page inside one read transaction: in WAL mode
 * that is a snapshot writers do not disturb, so it never has to restart.
 */
static int copy_pages(struct backup_job *job, int *pages)
{
	sqlite3_backup *b = sqlite3_backup_init(job->copy, "main", store_sqlite_handle(job->db), "main");
	int rc, waited = 0;

	if (!b)
		return sqlite3_errcode(job->copy);
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(BACKUP_RETRY_MS);
		waited += BACKUP_RETRY_MS;
	} while (waited < DB_BUSY_TIMEOUT_MS);
	*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Without WAL the copy is one self-contained file; appt turns WAL back on
 * when it opens a restored copy.
 */
static int make_standalone(sqlite3 *copy)
{
	return sqlite3_exec(copy, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
}

static enum appt_status check_integrity(struct backup_job *job, struct appt_err *err)
{
	sqlite3_stmt *st = NULL;
	enum appt_status status = APPT_OK;
	int rc = sqlite3_prepare_v2(job->copy, "PRAGMA integrity_check", -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		status = copy_error(job, rc, "check", err);
	else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok"))
		status = appt_fail(err, APPT_IOERR, "the copy failed its integrity check: %s",
				   (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return status;
}

static enum appt_status make_copy(struct backup_job *job, struct backup_result *res,
				  struct appt_err *err)
{
	int rc = sqlite3_open_v2(job->tmp, &job->copy, SQLITE_OPEN_READWRITE, NULL);

	if (rc == SQLITE_OK)
		rc = copy_pages(job, &res->pages);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return db_error(job->db, rc, "making a backup", err);
	if (rc == SQLITE_OK)
		rc = make_standalone(job->copy);
	if (rc != SQLITE_OK)
		return copy_error(job, rc, "write the backup", err);
	return check_integrity(job, err);
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Without --force, link() puts the copy in place only if nothing took the
 * name meanwhile; file systems without hard links fall back to rename, the
 * name having been checked at the start.
 */
static int put_in_place(struct backup_job *job)
{
	if (job->force)
		return rename(job->tmp, job->target);
	if (!link(job->tmp, job->target))
		return unlink(job->tmp);
	if (errno == EPERM || errno == ENOTSUP || errno == EMLINK)
		return rename(job->tmp, job->target);
	return -1;
}

static enum appt_status finish_copy(struct backup_job *job, struct appt_err *err)
{
	if (fsync_path(job->tmp, 0))
		return appt_fail(err, APPT_IOERR, "cannot sync '%s': %s", job->tmp,
				 strerror(errno));
	if (put_in_place(job)) {
		if (errno == EEXIST)
			return appt_fail(err, APPT_REFUSED,
					 "'%s' exists; use --force to overwrite", job->target);
		return appt_fail(err, APPT_IOERR, "cannot write '%s': %s", job->target,
				 strerror(errno));
	}
	/* The rename is durable only once the directory is synced. */
	fsync_path(job->dir, O_DIRECTORY);
	return APPT_OK;
}

static void job_release(struct backup_job *job, enum appt_status status)
{
	if (job->copy)
		sqlite3_close(job->copy);
	if (job->tmp && status) {
		char *journal = xasprintf("%s-journal", job->tmp);

		unlink(job->tmp);
		unlink(journal);
		free(journal);
	}
	free(job->tmp);
	free(job->dir);
}

enum appt_status backup_write(struct appt_db *db, const char *target, int force,
			      struct backup_result *res, struct appt_err *err)
{
	struct backup_job job = { .db = db, .target = target, .force = force };
	enum appt_status status;

	res->pages = 0;
	if (db_dialect(db) != DIALECT_SQLITE)
		return appt_fail(err, APPT_REFUSED,
				 "'%s' is a PostgreSQL database: back it up with pg_dump"
				 " (e.g. pg_dump -Fc -f appt.dump DBNAME), or copy it with"
				 " 'appt db copy --to FILE'", db->path);
	status = check_target(&job, err);
	if (!status)
		status = create_tmp(&job, err);
	if (!status)
		status = make_copy(&job, res, err);
	if (!status) {
		sqlite3_close(job.copy);
		job.copy = NULL;
		status = finish_copy(&job, err);
	}
	job_release(&job, status);
	return status;
}
