#ifndef GONGGAO_CCURL_SHIM_H
#define GONGGAO_CCURL_SHIM_H

#include <curl/curl.h>

/*
 * curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, so Swift cannot call
 * them. These typed wrappers are the only way GonggaoChannels sets options (C-LIBS.md).
 */

typedef size_t (*gg_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

static inline CURLcode gg_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gg_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gg_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gg_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gg_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/* For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION (same signature). */
static inline CURLcode gg_curl_setopt_data_callback(CURL *handle, CURLoption option, gg_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode gg_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode gg_curl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode gg_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/* CURLMsg's `data` is a union; read its `result` member without Swift touching the union. */
static inline CURLcode gg_curl_message_result(const CURLMsg *message) {
    return message->data.result;
}

#endif
