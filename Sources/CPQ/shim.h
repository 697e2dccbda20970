// libpq, PostgreSQL's C client: imported only by GonggaoStore (Sources/GonggaoStore/Postgres).
#include <libpq-fe.h>
#include <poll.h>
