/*
 * report_defs: the report functions and their report_table entries.  Each
 * group of reports lives in its own report_*.c; add its functions and
 * entries here when it lands.
 */
#ifndef APPT_REPORT_DEFS_H
#define APPT_REPORT_DEFS_H

#include "report.h"

#define REPORT_FN(fn) \
	enum appt_status fn(struct appt_session *s, const struct report_args *a, \
			    struct appt_err *err)

REPORT_FN(report_calls);
REPORT_FN(report_day);
REPORT_FN(report_unconfirmed);
REPORT_FN(report_noshows);
REPORT_FN(report_cancellations);
REPORT_FN(report_utilization);
REPORT_FN(report_fees);
REPORT_FN(report_contacts);
REPORT_FN(report_messages);
REPORT_FN(report_overdue);
REPORT_FN(report_requests);
REPORT_FN(report_waitlist);
REPORT_FN(report_revenue);
REPORT_FN(report_outstanding);
REPORT_FN(report_payments);

#define REPORT_ENTRIES \
	{ "day", "the day sheet: each provider's appointments with client notes", \
	  PERIOD_TODAY, report_day }, \
	{ "unconfirmed", "upcoming appointments the client has not confirmed", \
	  PERIOD_NEXT_7_DAYS, report_unconfirmed }, \
	{ "calls", "open call tasks, oldest first", PERIOD_ALL, report_calls }, \
	{ "requests", "open booking requests with their reply deadline, overdue first", \
	  PERIOD_ALL, report_requests }, \
	{ "overdue", "program clients with no appointment booked (seed 004)", \
	  PERIOD_ALL, report_overdue }, \
	{ "waitlist", "open waitlist entries with the free slots that match each", \
	  PERIOD_ALL, report_waitlist }, \
	{ "noshows", "no-show counts and rates: overall, by provider, by client", \
	  PERIOD_LAST_30_DAYS, report_noshows }, \
	{ "cancellations", "cancelled appointments with reasons; late ones flagged", \
	  PERIOD_LAST_30_DAYS, report_cancellations }, \
	{ "utilization", "booked minutes against open minutes per provider", \
	  PERIOD_LAST_30_DAYS, report_utilization }, \
	{ "fees", "late-cancellation and no-show charges: status, what paid each, total", \
	  PERIOD_LAST_30_DAYS, report_fees }, \
	{ "revenue", "invoiced revenue by day, provider and service: net, tax, total", \
	  PERIOD_LAST_30_DAYS, report_revenue }, \
	{ "outstanding", "clients' balances now, with what is open by age, and credit", \
	  PERIOD_ALL, report_outstanding }, \
	{ "payments", "takings by method, the end-of-day cash-up", \
	  PERIOD_TODAY, report_payments }, \
	{ "contacts", "the communication log: messages queued and contacts logged", \
	  PERIOD_LAST_30_DAYS, report_contacts }, \
	{ "messages", "the outbox: messages by kind and status", \
	  PERIOD_LAST_30_DAYS, report_messages },

#endif
