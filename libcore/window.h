/*
 * window: sending windows (delivery.send_window, a channel's send_window)
 * as instants.  No text goes out and no call task falls due outside its
 * window: a message due at night waits for the next opening, and one that
 * is about a time ahead (a reminder) goes in the last window before it.
 */
#ifndef APPT_WINDOW_H
#define APPT_WINDOW_H

#include <time.h>

#include "config.h"

/*
 * How long before a window closes a message timed to "the window's close"
 * falls due (a reminder moved out of the night, the text that follows a
 * call nobody logged): a cron run every few minutes still catches it.
 */
#define WINDOW_CLOSE_LEAD (30 * 60)

/* Whether t is inside the window. */
int window_is_open(const struct cfg_window *w, time_t t);

/*
 * The first instant at or after t inside the window: t itself when it is
 * open (or the window is always), else the next opening.  A window that
 * never opens (config check refuses one) gives t.
 */
time_t window_next_open(const struct cfg_window *w, time_t t);

/*
 * The interval [*from, *to) of the window's last opening that ends at or
 * before t, looked for in the week before t.  0 when found, -1 when not (an
 * always window, or one that never opens).
 */
int window_last_before(const struct cfg_window *w, time_t t, time_t *from, time_t *to);

/*
 * When a message about a time ahead goes out: at due when the window is
 * open then, else WINDOW_CLOSE_LEAD before the close of the last window
 * before due (never before that window opens).
 */
time_t window_send_before(const struct cfg_window *w, time_t due);

/*
 * The close of the window opening that t falls in or that next follows it,
 * less WINDOW_CLOSE_LEAD (never before that opening): "at the window's
 * close" on the day of t.
 */
time_t window_close_of(const struct cfg_window *w, time_t t);

#endif
