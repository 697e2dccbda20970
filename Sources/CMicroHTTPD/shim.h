#ifndef GONGGAO_CMICROHTTPD_SHIM_H
#define GONGGAO_CMICROHTTPD_SHIM_H

// libmicrohttpd for Swift. Only GonggaoHTTP imports this module.
//
// MHD_start_daemon, MHD_get_connection_info and MHD_get_daemon_info are variadic, so Swift cannot
// call them; the static inline helpers below call them with typed arguments instead (the C
// compiler checks every option's argument type, which `withVaList` would not).

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <microhttpd.h>

/// Starts a daemon on an already bound and listening socket, with an internal thread pool of
/// `threads` threads (1 = a single internal thread), suspend/resume enabled (which implies the
/// inter-thread channel MHD_quiesce_daemon needs) and epoll (or poll() when `use_epoll` is 0).
/// Zero `per_ip_limit` or `idle_timeout_s` means none.
static inline struct MHD_Daemon *
gonggao_mhd_start (int use_epoll, int listen_fd, unsigned int threads,
                   unsigned int connection_limit, unsigned int per_ip_limit,
                   unsigned int idle_timeout_s, size_t memory_limit,
                   MHD_AccessHandlerCallback access, void *access_cls,
                   MHD_RequestCompletedCallback completed, void *completed_cls,
                   MHD_NotifyConnectionCallback notify, void *notify_cls,
                   MHD_LogCallback logger, void *logger_cls)
{
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  flags |= use_epoll ? MHD_USE_EPOLL : MHD_USE_POLL;
  // The logger comes first so that MHD's complaints about later options reach it, not stderr.
  struct MHD_OptionItem options[] = {
    { MHD_OPTION_EXTERNAL_LOGGER, (intptr_t) logger, logger_cls },
    { MHD_OPTION_LISTEN_SOCKET, (intptr_t) listen_fd, NULL },
    { MHD_OPTION_CONNECTION_LIMIT, (intptr_t) connection_limit, NULL },
    { MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t) per_ip_limit, NULL },
    { MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t) idle_timeout_s, NULL },
    { MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t) memory_limit, NULL },
    { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t) completed, completed_cls },
    { MHD_OPTION_NOTIFY_CONNECTION, (intptr_t) notify, notify_cls },
    // A pool of one is no pool (MHD warns): then the single internal thread serves everything.
    { threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (intptr_t) threads, NULL },
    { MHD_OPTION_END, 0, NULL }
  };
  return MHD_start_daemon (flags, 0, NULL, NULL, access, access_cls,
                           MHD_OPTION_ARRAY, options, MHD_OPTION_END);
}

/// The connection's socket, or -1.
static inline int
gonggao_mhd_connection_fd (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info =
    MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CONNECTION_FD);
  return (NULL == info) ? -1 : (int) info->connect_fd;
}

/// The peer address, or NULL.
static inline const struct sockaddr *
gonggao_mhd_client_address (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info =
    MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  return (NULL == info) ? NULL : info->client_addr;
}

/// The pointer the connection-notify callback stored for this socket, or NULL.
static inline void *
gonggao_mhd_socket_context (struct MHD_Connection *connection)
{
  const union MHD_ConnectionInfo *info =
    MHD_get_connection_info (connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return (NULL == info) ? NULL : info->socket_context;
}

#endif
