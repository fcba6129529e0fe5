/*
 * template: the message texts of the configuration's templates: section,
 * with {{placeholder}} fields.  Rendering substitutes values verbatim and
 * never evaluates anything, so a client's name or note cannot run code.
 */
#ifndef APPT_TEMPLATE_H
#define APPT_TEMPLATE_H

#include <stddef.h>

/*
 * Indexes into template_placeholders[]: a values array given to
 * template_render holds one string (or NULL for "") per placeholder.
 */
enum template_field {
	FIELD_CLIENT_NAME,
	FIELD_CLIENT_FIRST_NAME,
	FIELD_APPOINTMENT_DATE,
	FIELD_APPOINTMENT_TIME,
	FIELD_APPOINTMENT_ID,
	FIELD_SERVICE_NAME,
	FIELD_PROVIDER_NAME,
	FIELD_BUSINESS_NAME,
	FIELD_BUSINESS_PHONE,
	FIELD_BUSINESS_BOOKING_URL,
	FIELD_STAFF_NAME,
	FIELD_LAST_VISIT_DATE,
	FIELD_BUSINESS_ADDRESS,
	FIELD_HOLD_UNTIL,
	FIELD_REQUEST_ID,
	FIELD_INVOICE_NUMBER,
	FIELD_INVOICE_TOTAL,
	FIELD_INVOICE_TEXT,
	FIELD_APPOINTMENT_URL,
	FIELD_COUNT
};

/* The placeholders a template may use, NULL-terminated ("client.name", ...). */
extern const char *const template_placeholders[];

/*
 * Calls fn for each placeholder of text with its name (trimmed, not
 * NUL-terminated: name/len) and its byte offset; stops and returns -1 at an
 * unterminated "{{" (offset in *bad), 0 otherwise.
 */
int template_scan(const char *text,
		  void (*fn)(const char *name, size_t len, size_t offset, void *data),
		  void *data, size_t *bad);

/* The field a placeholder name stands for, or -1. */
int template_field_index(const char *name, size_t len);

/* Whether text (may be NULL) has the placeholder of field. */
int template_uses(const char *text, enum template_field field);

/* The text with each placeholder replaced by values[field]. Caller frees. */
char *template_render(const char *text, const char *const values[FIELD_COUNT]);

#endif
