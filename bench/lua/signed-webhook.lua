-- wrk script: every request is a correctly signed Standard Webhooks POST with a fresh webhook-id and a
-- fresh noticeId, so the sandbox portal takes the same path as a worker's first delivery of a new
-- notice (credential, timestamp and HMAC check, JSON validation, item created, answer remembered).
--
--   wrk -t2 -c16 -d5s -s bench/lua/signed-webhook.lua URL -- BODY_FILE WHSEC [PATH] [HEADER: VALUE]
--
-- BODY_FILE holds one JSON body (e.g. the payload a worker sent, read back from the sandbox) whose
-- "noticeId" is replaced per request by an id of the same length. WHSEC is the portal's whsec_ secret.
-- The HMAC-SHA256 is libcrypto's (wrk links it; LuaJIT FFI), so signing costs the anchor microseconds.
local ffi = require("ffi")
ffi.cdef [[
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len, const unsigned char *d, size_t n,
                    unsigned char *md, unsigned int *md_len);
int EVP_DecodeBlock(unsigned char *t, const unsigned char *f, int n);
int EVP_EncodeBlock(unsigned char *t, const unsigned char *f, int n);
]]
local C = ffi.C

-- Globals, not locals: thread:set/get reach a thread's globals (tid in, statuses out).
local threads = {}
local created = 0
tid = 0

function setup(thread)
    created = created + 1
    thread:set("tid", created)
    table.insert(threads, thread)
end

local prefix, suffix, idlen, key, keylen, path, extra
local counter, ts, ts_at = 0, nil, 0
local mac, maclen, b64 = ffi.new("unsigned char[32]"), ffi.new("unsigned int[1]"), ffi.new("unsigned char[64]")
statuses = {}

function init(args)
    local f = assert(io.open(args[1], "rb"), "cannot read " .. tostring(args[1]))
    local body = f:read("*a"):gsub("%s+$", "")
    f:close()
    local s, e, old = body:find('"noticeId"%s*:%s*"([^"]*)"')
    assert(s, "the body has no noticeId")
    local q = e - #old -- index of the opening quote's successor minus one
    prefix, suffix, idlen = body:sub(1, q), body:sub(e), #old
    local secret = args[2]:gsub("^whsec_", "")
    local raw = ffi.new("unsigned char[?]", #secret)
    local n = C.EVP_DecodeBlock(raw, secret, #secret)
    local pad = select(2, secret:gsub("=", ""))
    key, keylen = raw, n - pad
    path = args[3] or "/provincial/items"
    extra = args[4]
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
end

function request()
    counter = counter + 1
    local now = os.time()
    if now ~= ts_at then ts, ts_at = tostring(now), now end
    local serial = string.format("w%d%x", tid, counter)
    local nid = "wrk_" .. string.rep("0", idlen - 4 - #serial) .. serial
    local body = prefix .. nid .. suffix
    local id = "msg_" .. nid
    local msg = id .. "." .. ts .. "." .. body
    C.HMAC(C.EVP_sha256(), key, keylen, msg, #msg, mac, maclen)
    local n = C.EVP_EncodeBlock(b64, mac, maclen[0])
    local headers = {
        ["Content-Type"] = "application/json",
        ["webhook-id"] = id,
        ["webhook-timestamp"] = ts,
        ["webhook-signature"] = "v1," .. ffi.string(b64, n),
    }
    if extra then
        local name, value = extra:match("^([^:]+):%s*(.*)$")
        headers[name] = value
    end
    return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, t in ipairs(threads) do
        for code, n in pairs(t:get("statuses") or {}) do total[code] = (total[code] or 0) + n end
    end
    local parts = {}
    for code, n in pairs(total) do table.insert(parts, code .. "=" .. n) end
    table.sort(parts)
    io.write("STATUSES " .. table.concat(parts, " ") .. "\n")
end
