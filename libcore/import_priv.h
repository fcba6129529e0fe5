/*
 * import_priv: what the parts of the import share.  import.c reads the file
 * (columns, records, errors, the one transaction), import_client.c finds
 * and writes clients, import_appt.c appointments and their calendar.
 */
#ifndef APPT_IMPORT_PRIV_H
#define APPT_IMPORT_PRIV_H

#include <stdint.h>

#include "db.h"
#include "import.h"
#include "phone.h"

enum field {
	F_NAME, F_CLIENT, F_PHONE, F_EMAIL, F_CHANNEL, F_PROGRAM, F_SERVICE,
	F_PROVIDER, F_START, F_END, F_STATUS, F_NOTES, F_EXTERNAL_ID,
	F_COUNT,
	F_NONE = -1,
};

/* "name", "client", ...: the header names, indexed by enum field. */
extern const char *const import_field_names[F_COUNT];

struct cached_client {
	uint64_t hash;
	long long id;  /* 0: a free slot */
	size_t key;    /* where the key starts in the arena */
};

/* Client lookups by name, e-mail and phone: open addressing, keys in one arena. */
struct client_cache {
	struct cached_client *slots;
	size_t nr;
	struct strbuf arena;
	struct strbuf key; /* scratch for the key being looked up */
};

/* The day plans of later appointments (import_appt.c). */
struct import_calendar;

struct importer {
	struct appt_session *s;
	const struct import_options *opt;
	struct import_result *res;
	char *val[F_COUNT];   /* the record's cells; NULL when absent or empty */
	struct client_cache clients;
	struct import_calendar *calendar;
};

/* What identifies a client in a row; NULL parts were not given. */
struct client_key {
	const char *name;
	const char *email;
	const char *phone;
	const char *external_id;
};

/*
 * The client a key names (import.h says how), *id 0 when none; *by names
 * the lookup that found it, *merged says it was found only through a record
 * merged into *id.  More than one match is APPT_DATAERR.  k->phone must be
 * a key (import_key_phone).
 */
enum appt_status import_find_client(struct importer *im, const struct client_key *k,
				    long long *id, const char **by, int *merged,
				    struct appt_err *err);

/*
 * Points k->phone (when given) at its key in key, so that lookups and the
 * cache see one number however a file types it; APPT_DATAERR for a phone
 * the rules refuse.
 */
enum appt_status import_key_phone(struct client_key *k, char key[PHONE_KEY_SIZE],
				  struct appt_err *err);

/* The cache of import_find_client's answers for appointment rows. */
long long client_cache_get(struct client_cache *c, const struct client_key *k);
void client_cache_put(struct client_cache *c, const struct client_key *k, long long id);
void client_cache_release(struct client_cache *c);

/*
 * One record of each kind, its cells in im->val.  APPT_DATAERR and the
 * like are the record's fault; APPT_IOERR and APPT_TEMPFAIL end the import.
 */
enum appt_status import_client_row(struct importer *im, struct appt_err *err);
enum appt_status import_appointment_row(struct importer *im, struct appt_err *err);

void import_calendar_free(struct import_calendar *cal);

#endif
