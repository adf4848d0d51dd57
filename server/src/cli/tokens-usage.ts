export const tokensUsage = `Usage: meterusage tokens add --name NAME [--read METER]... [--ingest METER]... [--metrics] [--tariffs] --file FILE

Adds a token to a tokens file (serve --tokens FILE), creating the file if it is missing.
Prints the token's secret once, on stdout; the file keeps only its SHA-256. Send SIGHUP to
a running service to make it read the file again.

Options:
  --name NAME             the token's name, shown in logs and on the page (1 to 64 letters, digits or ._@-)
  --read METER            a meter the token may read; repeat it or give a comma list; * is every meter
  --ingest METER          a meter the token may store readings in; repeat it or give a comma list; * is every meter
  --metrics               the token may read GET /metrics
  --tariffs               the token may store tariffs and prices
  --file FILE             the tokens file (env METERUSAGE_TOKENS)
  -h, --help              show this help`;
