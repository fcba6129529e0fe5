/*
 * version: the release of appt, printed by "appt --version" and available to
 * any command that reports it.
 */
#ifndef APPT_VERSION_H
#define APPT_VERSION_H

#define APPT_VERSION "0.1.0"

#endif
