/*
 * show_history: a record's audit history and messages as the show commands
 * print them (appt show, appt request show): each event with who did it
 * and what it changed, each message with its state.  Like cli, it prints.
 */
#ifndef APPT_SHOW_HISTORY_H
#define APPT_SHOW_HISTORY_H

#include "event.h"
#include "outbox.h"

/* One event, then a line for each value it changed (event_each's fn). */
void history_print_event(const struct event_row *row, void *data);

/* One message; data is an int counting them, the first prints the heading. */
void history_print_message(const struct message_row *m, void *data);

#endif
