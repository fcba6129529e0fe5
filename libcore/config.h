/*
 * config: the business's YAML file (libyaml) as typed structs.
 *
 * Every problem found is reported as "FILE:LINE:COLUMN: message" (1-based, the
 * position of the offending node), and loading goes on after a problem so that
 * `appt config check` can list them all.  Unknown keys are problems: a typo in
 * a policy must not silently fall back to a default.
 *
 * Ownership: config_load hands out a struct appt_config that config_free
 * releases whole; every pointer inside belongs to it.
 */
#ifndef APPT_CONFIG_H
#define APPT_CONFIG_H

#include <stddef.h>

#include "hours.h"
#include "util.h"
#include "when.h"
#include "yamlmap.h"

/*
 * struct cfg_pos (where a node starts) is yamlmap.h's; opening hours and
 * sending windows (struct cfg_week_hours, struct cfg_window) are hours.h's.
 */

struct cfg_closure {
	struct appt_date from; /* inclusive */
	struct appt_date to;   /* inclusive; equals from for a single date */
	char *reason;          /* may be NULL */
	struct cfg_pos pos;
};

struct cfg_service {
	char *id;
	char *name;
	long duration;      /* seconds, > 0 */
	long buffer_before; /* seconds */
	long buffer_after;  /* seconds */
	char *needs;        /* resource kind, or NULL */
	int capacity;       /* >= 1 */
	long long price;    /* cents; 0 when not set */
	struct cfg_pos pos;
};

struct cfg_provider {
	char *id;
	char *name;
	/* Days the provider's own `hours:` names replace the business's. */
	struct cfg_week_hours hours;
	struct strlist services; /* service ids */
	char *email;             /* may be NULL */
	struct cfg_pos pos;
};

struct cfg_resource {
	char *id;
	char *kind;
	char *name; /* defaults to id */
	struct cfg_pos pos;
};

struct cfg_booking_policy {
	long min_notice;  /* seconds; default 0 */
	long max_advance; /* seconds; default 0 = unlimited */
	long slot_step;   /* seconds; default 15m */
	int offer_slots;  /* default 2, never below 2 */
};

struct cfg_reschedule_policy {
	long min_notice; /* default 24h */
	int max_times;   /* default 0 = unlimited */
};

struct cfg_cancel_policy {
	long min_notice;         /* default 24h */
	long long late_fee;      /* cents; 0 = none */
};

struct cfg_noshow_policy {
	long grace;          /* default 15m */
	long long fee;       /* cents; 0 = none */
	int warn_after;      /* default 0 = never warn */
	int block_after;     /* default 0 = never block */
	long window;         /* default 365d */
};

struct cfg_confirmation_policy {
	long deadline; /* before start; default 0 = no deadline */
};

struct cfg_arrival_policy {
	long early; /* checkin, start, done no earlier than this before the start; default 1h */
};

/* A booking request must be answered within reply_within (seed 002 §5 step 3). */
struct cfg_request_policy {
	long reply_within; /* default 24h */
};

/* How long a waitlist offer holds a freed slot before the next client hears of it. */
struct cfg_waitlist_policy {
	long offer_hold; /* default 2h */
};

struct cfg_policies {
	struct cfg_booking_policy booking;
	struct cfg_reschedule_policy reschedule;
	struct cfg_cancel_policy cancel;
	struct cfg_noshow_policy noshow;
	struct cfg_confirmation_policy confirmation;
	struct cfg_arrival_policy arrival;
	struct cfg_request_policy request;
	struct cfg_waitlist_policy waitlist;
};

/* A message sent by a lifecycle command (book, reschedule, cancel, noshow). */
struct cfg_notice {
	int set;        /* 0: this notice is not sent */
	char *channel;  /* "preferred", "email", "sms", "call" or a channels: key */
	char *template; /* a templates: key */
	struct cfg_pos pos;
};

struct cfg_notices {
	struct cfg_notice booked;
	struct cfg_notice rescheduled;
	struct cfg_notice cancelled;
	struct cfg_notice noshow;
	struct cfg_notice blocked; /* instead of noshow, for the no-show that blocks the client */
	struct cfg_notice held;             /* a tentative hold placed (book --hold) */
	struct cfg_notice expired;          /* a hold released unconfirmed */
	struct cfg_notice request_received; /* a booking request acknowledged */
	struct cfg_notice request_declined; /* a booking request declined */
	struct cfg_notice waitlist_offer;   /* a freed slot offered to a waiting client */
	struct cfg_notice invoice;          /* an invoice sent (appt invoice send) */
};

/* One entry of reminders: (offset before start) or followups: (after done). */
struct cfg_timed_message {
	char *name;
	long offset; /* seconds */
	char *channel;
	char *template;
	char *service; /* followups only: limit to this service id; NULL = all */
	int skip_if_booked; /* followups only: an invitation to book again */
	long max_delay;     /* followups only: never sent later than this after due */
	struct cfg_pos pos;
};

struct cfg_outreach_step {
	int day;        /* days since the last visit */
	char *channel;  /* "call" makes a call task */
	char *template; /* NULL allowed for call steps */
	char *assign;   /* who a call task goes to: "manager", a login, or NULL = front desk */
	struct cfg_pos pos;
};

struct cfg_program {
	char *id;
	char *name;
	long interval;             /* expected time between visits, seconds */
	struct strlist services;   /* visits that count; empty = any service */
	struct cfg_outreach_step *steps; /* sorted by day */
	size_t nr_steps;
	long end_after;            /* after the last step; 0 = never end */
	struct cfg_pos pos;
};

enum cfg_transport {
	TRANSPORT_SENDMAIL,
	TRANSPORT_COMMAND,
	TRANSPORT_FILE,
};

struct cfg_channel {
	char *name; /* the channels: key: "email", "sms", ... */
	enum cfg_transport transport;
	struct strlist command; /* argv for sendmail and command */
	char *from;             /* sendmail: From address */
	char *path;             /* file: where messages are appended */
	struct cfg_window send_window; /* .set = 0: delivery.send_window */
	struct cfg_pos pos;
};

struct cfg_template {
	char *name;
	char *subject; /* may be NULL (sms) */
	char *body;
	struct cfg_pos pos;
	struct cfg_pos subject_pos;
	struct cfg_pos body_pos;
};

struct cfg_delivery {
	int max_attempts; /* default 5 */
	long backoff;     /* first retry delay, doubled each attempt; default 5m */
	long lock_wait;   /* how long `appt remind` waits for another run; default 10s */
	struct cfg_window send_window; /* default 08:00-20:00 every day */
};

/* One tax every invoice adds on what it sells (after the discount). */
struct cfg_tax {
	char *name;
	long rate; /* millionths (money.h): 8.5% is 85000 */
	struct cfg_pos pos;
};

struct cfg_billing {
	char *currency;       /* ISO 4217, three capitals; default "USD" */
	char *invoice_prefix; /* INV-2027-0001's "INV"; default "INV" */
	struct cfg_tax *taxes;
	size_t nr_taxes;
	char *footer;         /* printed under every invoice (tax id, address); may be NULL */
};

/* serve: the clients' side on the web (appt serve). */
enum serve_booking { SERVE_BOOK, SERVE_REQUEST };

struct cfg_serve {
	char *listen;       /* "ADDR:PORT"; default "127.0.0.1:8080" */
	char *base_url;     /* the public URL, no trailing '/'; NULL: no links in messages */
	enum serve_booking booking; /* a web booking is final, or a request the desk answers */
	int days;           /* how far ahead the booking page shows slots; default 14 */
	int post_limit;     /* POSTs a minute one address may make; default 30 */
	char *sms_from;     /* the inbound hook's form fields; default "From" and "Body" */
	char *sms_body;
	char *sms_key;      /* when set, the hook wants ?key=THIS (the gateway's secret) */
};

struct appt_config {
	char *path;     /* as given */
	char *database; /* the database: key, resolved against the file's directory; may be NULL */

	struct {
		char *name;
		char *timezone;
		char *phone;
		char *address;
		char *booking_url;
		char *country_code; /* digits ("1"), or NULL: phone keys (phone.h) */
		char *email;
		char *signature;   /* {{staff.name}} in automated messages */
		char *date_format; /* strftime; default "%A %-d %B %Y" */
		char *time_format; /* strftime; default "%H:%M" */
	} business;

	struct cfg_week_hours hours;
	struct cfg_closure *closures;
	size_t nr_closures;

	struct cfg_provider *providers;
	size_t nr_providers;
	struct cfg_resource *resources;
	size_t nr_resources;
	struct cfg_service *services;
	size_t nr_services;

	struct cfg_policies policies;
	struct cfg_notices notices;

	struct cfg_timed_message *reminders;
	size_t nr_reminders;
	struct cfg_timed_message *followups;
	size_t nr_followups;
	struct cfg_program *programs;
	size_t nr_programs;
	struct cfg_channel *channels;
	size_t nr_channels;
	struct cfg_template *templates;
	size_t nr_templates;

	struct strlist managers;    /* roles.managers: logins */
	struct strlist staff_logins;/* roles.staff: login -> display name */
	struct strlist staff_names;
	struct cfg_delivery delivery;
	struct cfg_billing billing;
	struct cfg_serve serve;
};

/*
 * The configuration file to use: $APPT_CONFIG, else
 * $XDG_CONFIG_HOME/appt/config.yaml (XDG_CONFIG_HOME defaulting to
 * ~/.config) when it exists, else /etc/appt/config.yaml.  Caller frees.
 */
char *config_default_path(void);

/*
 * Parses and validates path.  Each problem is appended to problems (when not
 * NULL) as "FILE:LINE:COLUMN: message".  Returns APPT_OK with *out set, or
 * APPT_NOINPUT (cannot open), or APPT_CONFIG with the first problem in err and
 * *out NULL.
 */
enum appt_status config_load(const char *path, struct appt_config **out,
			     struct strlist *problems, struct appt_err *err);
void config_free(struct appt_config *cfg);

/* Lookups by id; NULL when absent. */
const struct cfg_service *config_service(const struct appt_config *cfg, const char *id);
const struct cfg_provider *config_provider(const struct appt_config *cfg, const char *id);
const struct cfg_resource *config_resource(const struct appt_config *cfg, const char *id);
const struct cfg_template *config_template(const struct appt_config *cfg, const char *name);
const struct cfg_channel *config_channel(const struct appt_config *cfg, const char *name);
const struct cfg_program *config_program(const struct appt_config *cfg, const char *id);
int provider_offers(const struct cfg_provider *p, const char *service_id);
/* APPT_NOTFOUND "no service 'ID' (services: a, b, ...)": what the desk may type instead. */
enum appt_status config_no_service(const struct appt_config *cfg, const char *id,
				   struct appt_err *err);
int config_is_manager(const struct appt_config *cfg, const char *login);

/*
 * A provider's working intervals on a weekday: the provider's own hours for
 * that day when set, else the business hours.
 */
const struct cfg_day_hours *config_provider_day(const struct appt_config *cfg,
						const struct cfg_provider *p,
						int wday);
/* The closure covering a date, or NULL. */
const struct cfg_closure *config_closure_on(const struct appt_config *cfg,
					    struct appt_date date);

/*
 * The sending window of a channel (a channels: key, or "call" for call
 * tasks): its own send_window, else delivery.send_window.
 */
const struct cfg_window *config_send_window(const struct appt_config *cfg,
					    const char *channel);


#endif
