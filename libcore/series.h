/*
 * series: the same service every EVERY (book --repeat), each occurrence
 * booked, cancelled or moved as one appointment would be (booking.h), all
 * in one transaction, with the occurrences tied by their series id.
 *
 * All or nothing: an occurrence refused (a closure, a taken slot, the
 * booking horizon) refuses the whole series, listing every occurrence that
 * could not be placed, unless skip_conflicts books the rest.  A refusal
 * that is not a conflict (no such provider, a database error) ends it at
 * once.
 */
#ifndef APPT_SERIES_H
#define APPT_SERIES_H

#include <time.h>

#include "booking.h"

/* How often, and for how long. */
struct series_plan {
	const char *every;      /* as typed: "2w", "1mo" */
	int days;               /* Nd and Nw: days between occurrences */
	int months;             /* Nmo: months between (the day of month kept, clamped) */
	int count;              /* occurrences; 0: up to until */
	struct appt_date until; /* with count 0: the last day an occurrence may fall on */
	int skip_conflicts;
};

/* At most this many occurrences in one series: a year of weekly visits. */
#define SERIES_MAX 52

/* --repeat: Nd, Nw or Nmo (1 to 52 of them), into p; APPT_DATAERR otherwise. */
enum appt_status series_parse_every(const char *every, struct series_plan *p,
				    struct appt_err *err);

/* One occurrence: booked (res.id) or not (why). */
struct series_item {
	time_t at;
	struct booking_result res;
	char *why;
};

struct series_result {
	long long id;             /* the series (book); 0 otherwise */
	struct series_item *items;
	size_t nr;
	int done;                 /* occurrences booked, cancelled or moved */
};

void series_result_release(struct series_result *r);

/*
 * Books req (with req->at, the first occurrence) every plan->every: every
 * occurrence's notice is in its res.message_id, for delivery after the
 * commit.  APPT_REFUSED when an occurrence is refused and skip_conflicts is
 * not set, or when none could be booked; the message lists each.
 */
enum appt_status series_book(struct appt_session *s, const struct booking_request *req,
			     const struct series_plan *plan, struct series_result *out,
			     struct appt_err *err);

/*
 * Cancels appointment id and every later occurrence of its series still
 * booked, confirmed or held (appointment_cancel's rules for each).
 * APPT_REFUSED when id is not one of a series.
 */
enum appt_status series_cancel(struct appt_session *s, long long id, const char *reason,
			       const char *by, int force, int no_notice,
			       struct series_result *out, struct appt_err *err);

/*
 * Moves appointment id to req->at and every later occurrence still booked,
 * confirmed or held by the same shift of wall-clock time, all or nothing.
 */
enum appt_status series_reschedule(struct appt_session *s, long long id,
				   const struct booking_request *req,
				   struct series_result *out, struct appt_err *err);

/* The series an appointment is one of: how often, its place and size. */
struct series_info {
	char *every;
	int position; /* 1-based, by start */
	int total;
};

enum appt_status series_describe(struct appt_db *db, long long series_id, long long appointment_id,
				 struct series_info *out, struct appt_err *err);
void series_info_release(struct series_info *i);

#endif
