/*
 * GW_E* -> HTTP status table (see errors.h). Kept as a switch so the compiler warns on gaps.
 */
#include "gateway/errors.h"

int gw_error_status(int err)
{
    switch (err) {
    case GW_OK:
        return 200;
    case GW_E_BAD_REQUEST:
        return 400;
    case GW_E_UNAUTHORIZED:
        return 401;
    case GW_E_CREDITS:
        return 402;
    case GW_E_FORBIDDEN:
        return 403;
    case GW_E_NOT_FOUND:
        return 404;
    case GW_E_METHOD:
        return 405;
    case GW_E_TOO_LARGE:
        return 413;
    case GW_E_RATE_LIMITED:
        return 429;
    case GW_E_UPSTREAM:
        return 502;
    case GW_E_UNAVAILABLE:
        return 503;
    case GW_E_UPSTREAM_TIMEOUT:
        return 504;
    default:
        return 500;
    }
}

const char *gw_status_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "OK";
    }
}
