#include "store.h"

#include <stdlib.h>
#include <string.h>

int store_name_is_pg(const char *name)
{
	return !strncmp(name, "postgresql://", 13) || !strncmp(name, "postgres://", 11);
}

int store_busy_timeout_ms(void)
{
	const char *env = getenv("APPT_BUSY_TIMEOUT_MS");
	int ms = env ? atoi(env) : 0;

	return ms > 0 ? ms : DB_BUSY_TIMEOUT_MS;
}
