#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "db.h"

static char dir[] = "/tmp/appt-test-db-XXXXXX";
static int nr; /* databases made in dir, t1.db .. */

/* A fresh database in a temporary directory, with one table t(x). */
static struct appt_db *open_scratch(void)
{
	static int made;
	struct appt_db *db = NULL;
	struct appt_err err;
	char *path;

	if (!made && !(made = mkdtemp(dir) != NULL))
		return NULL;
	path = xasprintf("%s/t%d.db", dir, ++nr);
	if (db_open(path, DB_OPEN_CREATE, &db, &err) == APPT_OK)
		db_exec(db, "CREATE TABLE t(x)", "creating t", &err);
	free(path);
	return db;
}

static void insert(struct appt_db *db, int x)
{
	char *sql = xasprintf("INSERT INTO t VALUES (%d)", x);
	struct appt_err err;

	db_exec(db, sql, "inserting", &err);
	free(sql);
}

static int rows(struct appt_db *db)
{
	struct stmt *st = db_prepare(db, "SELECT count(*) FROM t");
	int n = stmt_step(st) == STORE_ROW ? stmt_column_int(st, 0) : -1;

	stmt_finalize(st);
	return n;
}

TEST(only_the_outermost_end_commits)
{
	struct appt_db *db = open_scratch();
	struct appt_err err;

	CHECK_INT(db_begin_write(db, &err), APPT_OK);
	insert(db, 1);
	CHECK_INT(db_begin_write(db, &err), APPT_OK);
	insert(db, 2);
	CHECK_INT(db_finish_write(db, APPT_OK, &err), APPT_OK);
	CHECK_INT(db->drv->in_transaction(db), 1); /* still open */
	CHECK_INT(db_commit(db, &err), APPT_OK);
	CHECK_INT(db->drv->in_transaction(db), 0);
	CHECK_INT(rows(db), 2);
	db_close(db);
}

TEST(a_failed_inner_level_rolls_back_the_whole)
{
	struct appt_db *db = open_scratch();
	struct appt_err err = { "" };

	CHECK_INT(db_begin_write(db, &err), APPT_OK);
	insert(db, 1);
	CHECK_INT(db_begin_write(db, &err), APPT_OK);
	insert(db, 2);
	CHECK_INT(db_finish_write(db, appt_fail(&err, APPT_REFUSED, "refused here"), &err),
		  APPT_REFUSED);
	/* the outer level carrying on as if nothing happened writes nothing */
	CHECK_INT(db_finish_write(db, APPT_OK, &err), APPT_IOERR);
	CHECK_STR(err.msg, "a change inside this one failed (refused here); nothing was written");
	CHECK_INT(rows(db), 0);
	/* and the next transaction starts clean */
	CHECK_INT(db_begin_write(db, &err), APPT_OK);
	insert(db, 3);
	CHECK_INT(db_commit(db, &err), APPT_OK);
	CHECK_INT(rows(db), 1);
	db_close(db);
}

TEST(a_read_joins_a_write)
{
	struct appt_db *db = open_scratch();
	struct appt_err err;

	CHECK_INT(db_begin_write(db, &err), APPT_OK);
	insert(db, 1);
	CHECK_INT(db_begin_read(db, &err), APPT_OK);
	CHECK_INT(rows(db), 1);
	db_end_read(db); /* a read that ends leaves the write to its own end */
	CHECK_INT(db_commit(db, &err), APPT_OK);
	CHECK_INT(rows(db), 1);
	/* on its own, a read ends its transaction */
	CHECK_INT(db_begin_read(db, &err), APPT_OK);
	CHECK_INT(rows(db), 1);
	db_end_read(db);
	CHECK_INT(db->depth, 0);
	db_close(db);
}

static void remove_scratch(void)
{
	for (int i = 1; i <= nr; i++) {
		char *path = xasprintf("%s/t%d.db", dir, i);

		unlink(path);
		free(path);
	}
	rmdir(dir);
}

int main(void)
{
	RUN(only_the_outermost_end_commits);
	RUN(a_failed_inner_level_rolls_back_the_whole);
	RUN(a_read_joins_a_write);
	remove_scratch();
	return unit_done();
}
