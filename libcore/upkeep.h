/*
 * upkeep: what every `appt remind` run does before it queues and delivers,
 * for the steps before a time is final: holds that lapsed are released
 * (booking.h), the slots they and cancellations freed are offered to the
 * waitlist (waitlist.h), and requests left unanswered past their reply
 * deadline become call tasks (request.h).  The outbox calls it through
 * remind_options.upkeep, so that the modules still depend one way.
 */
#ifndef APPT_UPKEEP_H
#define APPT_UPKEEP_H

#include "outbox.h"

remind_upkeep_fn remind_upkeep;

#endif
