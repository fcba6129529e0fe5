/* appt serve: the clients' side on the web — book, confirm, cancel, reschedule; feeds; SMS replies. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "command.h"
#include "listen.h"
#include "token.h"
#include "web.h"

static const char usage[] =
	"usage: appt serve [--listen ADDR:PORT]\n"
	"   or: appt serve --feed-token PROVIDER\n"
	"\n"
	"Serves the booking page, each appointment's page (/a/TOKEN), the providers'\n"
	"calendar feeds and the SMS gateway's hook over HTTP, until SIGTERM.  Put it\n"
	"behind the business's reverse proxy for TLS.  One line per request goes to\n"
	"stderr.\n"
	"\n"
	"  --listen ADDR:PORT      where to listen (default: serve.listen, else\n"
	"                          127.0.0.1:8080); port 0 takes any free port\n"
	"  --feed-token PROVIDER   make a new calendar feed link for PROVIDER (the\n"
	"                          old one stops working), print it and exit\n";

static int check(struct cmd_context *c)
{
	const char *listen = cmd_value(c, "listen");

	if (listen && cmd_value(c, "feed-token"))
		return cli_usage_error("--listen and --feed-token do not go together");
	if (listen && !listen_address_valid(listen))
		return cli_usage_error("--listen: expected ADDRESS:PORT (127.0.0.1:8080,"
				       " [::1]:8080), found '%s'", listen);
	return APPT_OK;
}

/* A new feed link: the provider's calendar, for their phone or their desk. */
static int feed_token(struct appt_session *s, const char *provider)
{
	struct appt_err err = { "" };
	char token[TOKEN_TEXT_SIZE];
	int status;

	if (!config_provider(s->cfg, provider))
		return cli_error(APPT_NOTFOUND, "no provider '%s' in %s", provider, s->cfg->path);
	if (!s->cfg->serve.base_url)
		return cli_error(APPT_CONFIG, "serve.base_url is not set in %s: a feed link needs"
				 " the server's public address", s->cfg->path);
	status = cli_report(token_mint_feed(s->db, s->now, provider, token, &err), &err);
	if (!status)
		printf("%s/feed/%s.ics\n", s->cfg->serve.base_url, token);
	return status;
}

static int run(struct cmd_context *c)
{
	const char *provider = cmd_value(c, "feed-token");
	const char *listen = cmd_value(c, "listen");
	struct appt_err err = { "" };

	if (provider)
		return feed_token(&c->s, provider);
	/* what the audit log says of what clients do on the web */
	free(c->s.actor);
	c->s.actor = xstrdup("web");
	return cli_report(web_serve(&c->s, listen ? listen : c->s.cfg->serve.listen, stderr,
				    &err), &err);
}

static const struct cmd_option options[] = {
	{ "listen", 0, CMD_VALUE, NULL },
	{ "feed-token", 0, CMD_VALUE, "@providers" },
	{ NULL, 0, 0, NULL },
};

const struct command cmd_serve = {
	.name = "serve", .summary = "serve clients on the web: booking, links, feeds, SMS",
	.usage = usage, .options = options, .min_args = 0, .max_args = 0,
	.needs = CMD_NEEDS_DB, .check = check, .run = run,
};
