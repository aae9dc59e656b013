/*
 * Stage "privacy": the no-training pass (policy/notrain.h through gateway/privacy.h gw_privacy_notrain). The upstream
 * provider's declared posture decides: the call is refused (403 with the reason) or forced flags, fields and headers
 * are applied; in the same rewrite, streamed chat completions get stream_options.include_usage (the usage-only chunk
 * is dropped again if the client did not ask for it). The end user's training consent matters only when it changes
 * the verdict: then a cache miss is looked up on the thread pool and the driver resumes here.
 * (The personal-data scrub of the body is part of parse: it is one pass with the JSON validation.)
 */
#include <stdio.h>
#include <string.h>

#include "gateway/pipeline/call.h"

static int path_ends_with(const char *rest, size_t len, const char *suffix)
{
    const char *q = memchr(rest, '?', len);
    size_t n = q != NULL ? (size_t)(q - rest) : len, sl = strlen(suffix);
    return n >= sl && memcmp(rest + n - sl, suffix, sl) == 0;
}

/* The no-training pass (policy/notrain.h) and the request edits that need the first pass's
 * captures: streamed chat completions get stream_options.include_usage (OpenAI reports stream
 * usage only then; openai.md section 4) and the extra usage chunk is dropped again if the client
 * did not ask for it. Answers the request itself on refusal or error. */
int gw__policy_pass(gw_call_t *call, int consent, const gw_json_edit_t *extra, int quiet)
{
    static const gw_json_edit_t add_usage = {"stream_options.include_usage", "true", 0};
    int want_usage = call->info.stream && call->info.include_usage != 1 &&
                     path_ends_with(call->rest, call->rest_len, "chat/completions") && call->usage_ad->usage_from_event != NULL &&
                     call->need_usage;
    /* the end-user ids as the client sent them (captured before the PII pass): hashed from these, never from the
     * placeholders the scrub left in the body */
    pol_notrain_id_t ids[GW_ID_FIELDS];
    size_t nids = 0;
    for (size_t k = 0; k < GW_ID_FIELDS; k++)
        if (call->info.id_len[k] != 0)
            ids[nids++] = (pol_notrain_id_t){gw_privacy_id_fields[k], call->info.id[k], call->info.id_len[k]};
    pol_notrain_input_t in = {
        call->up->name, call->rest, call->rest_len, call->provider->tier, consent, call->user.base, call->user.len, ids, nids};
    const char *err_desc = NULL;
    int changed = 0;
    gw_json_edit_t edits[2];
    size_t nedits = 0;
    if (want_usage)
        edits[nedits++] = add_usage;
    if (extra != NULL)
        edits[nedits++] = *extra;
    gw_buf_reset(&call->edit_body);
    int rc = gw_privacy_notrain(call->gen->privacy, gw_gen_scratch(call->gen, call->worker), call->up, &in, call->body,
                                call->multipart || call->binary ? 0 : call->body_len, call->body_json, edits, nedits,
                                &call->notrain, &call->edit_body, &changed, &err_desc);
    if (quiet && rc != POL_NOTRAIN_ALLOWED)
        return -1; /* a skipped fallback target leaves no record */
    gw_buf_reset(&call->notrain_record);
    if (rc >= 0)
        pol_notrain_record(&call->notrain, &call->notrain_record);
    if (rc == POL_NOTRAIN_REFUSED) {
        gw_buf_t msg = GW_BUF_INIT;
        gw_buf_append(&msg, "aigw: ", 6);
        pol_notrain_message(&call->notrain, &msg);
        gw_send_error_as(call, GW_ERR_TRAINING_POLICY, 0, call->notrain.reason,
                         msg.base != NULL ? msg.base : "aigw: refused by the no-training policy");
        gw_buf_free(&msg);
        return -1;
    }
    if (rc == GW_E_INTERNAL) { /* out of memory: aigw's failure, not the body's */
        gw_send_error(call, GW_ERR_INTERNAL, "aigw: the no-training pass failed");
        return -1;
    }
    if (rc < 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "aigw: the request body cannot be rewritten for the no-training policy (%s)",
                 err_desc != NULL ? err_desc : "invalid JSON");
        gw_send_error(call, GW_ERR_INVALID_REQUEST_BODY, msg);
        return -1;
    }
    if (changed) {
        call->body = call->edit_body.base;
        call->body_len = call->edit_body.len;
        call->strip_usage_chunk = want_usage;
    }
    return 0;
}

static void on_consent_lookup(uv_work_t *work)
{
    gw_call_t *call = work->data;
    int training = 0;
    gw_store_t *st = call->worker->server->store;
    call->consent_result = st != NULL && gw_store_get_consent(st, call->user.base, &training) == 0 ? training != 0 : 0;
}

static void on_consent_done(uv_work_t *work, int status)
{
    gw_call_t *call = work->data;
    call->consent_lookup = 0;
    if (status == 0)
        gw_consent_put(&call->worker->consent, call->user.base, call->user.len, call->consent_result, gw__now_ms());
    call->consent_known = 1;
    if (call->req != NULL)
        gw__pipeline_resume(call, GW_STAGE_PRIVACY);
    gw__release(call); /* the lookup's reference */
}

/* Consent matters only when it changes the verdict (a provider that may train, in
 * deny_unless_consent mode): then a cache miss is looked up on the thread pool. */
static int resolve_consent(gw_call_t *call)
{
    gw_worker_t *w = call->worker;
    int consent = gw_consent_get(&w->consent, call->user.base, call->user.len, gw__now_ms());
    if (consent >= 0 || w->server->store == NULL)
        return consent > 0;
    pol_notrain_input_t in = {call->up->name, call->rest, call->rest_len, call->provider->tier, 0, NULL, 0, NULL, 0};
    const pol_notrain_t *nt = gw_privacy_notrain_table(call->gen->privacy);
    if (!gw_consent_matters(&w->consent, call->gen->seq, nt, &in) && !gw__fallback_consent_matters(call))
        return 0; /* neither the provider's verdict nor a fallback target's depends on it */
    call->consent_work.data = call;
    call->refs++;
    call->consent_lookup = 1;
    if (uv_queue_work(&w->loop, &call->consent_work, on_consent_lookup, on_consent_done) != 0) {
        call->refs--;
        call->consent_lookup = 0;
        return 0;
    }
    return -1; /* continues in on_consent_done */
}

/* What the call's answer carries that no restore reaches (provider.h unrestorable_outputs), asked of the provider's
 * adapter and, when the call speaks another adapter's wire format (Gemini's OpenAI-compatible API, natively under
 * /gemini/v1beta/openai/ or through /v1/), of that adapter too, on the path after the compat sub-prefix ("openai/"). */
/* The call's path as its wire adapter (call->usage_ad) names it: on Gemini's native OpenAI-compatible route
 * ("openai/embeddings") without the compat prefix's tail ("embeddings"). */
static void wire_rest(const gw_call_t *call, const char **rest, size_t *rest_len)
{
    size_t ul = strlen(call->up->upstream_prefix);
    const char *cp = call->up->compat_prefix;
    *rest = call->rest;
    *rest_len = call->rest_len;
    if (cp != NULL && strncmp(cp, call->up->upstream_prefix, ul) == 0) {
        size_t sl = strlen(cp + ul);
        if (sl != 0 && *rest_len >= sl && memcmp(*rest, cp + ul, sl) == 0) {
            *rest += sl;
            *rest_len -= sl;
        }
    }
}

prov_unrestorable_kind_t gw__unrestorable_kind(const gw_call_t *call)
{
    const h2o_req_t *req = call->req;
    const char *body = call->body_json ? call->body : NULL;
    size_t body_len = call->body_json ? call->body_len : 0;
    prov_unrestorable_kind_t k =
        prov_unrestorable_output(call->up, req->method.base, req->method.len, call->rest, call->rest_len, body, body_len);
    if (k != PROV_UNRESTORABLE_NONE || call->usage_ad == NULL || call->usage_ad == call->up)
        return k;
    const char *rest;
    size_t rest_len;
    wire_rest(call, &rest, &rest_len);
    return prov_unrestorable_output(call->usage_ad, req->method.base, req->method.len, rest, rest_len, body, body_len);
}

/* Text sent as token ids (providers/provider.h token_inputs: OpenAI-format legacy completions `prompt`, embeddings
 * `input`, as int[] or int[][]): the provider decodes them with the model's tokenizer, which aigw does not have, so
 * the text would reach the model unscanned (redteam9: `prompt: [73, 1031, ...]` went out as sent). Refused with 400
 * unscannable_tokens, as the serving provider or the wire format declares it, before anything is forwarded.
 * @return 0 go on, -1 answered. */
static int refuse_token_input(gw_call_t *call)
{
    const h2o_req_t *req = call->req;
    if (!call->body_json)
        return 0;
    const char *rest;
    size_t rest_len;
    wire_rest(call, &rest, &rest_len);
    const prov_token_input_t *t =
        prov_token_input(call->up, req->method.base, req->method.len, call->rest, call->rest_len, call->body, call->body_len);
    if (t == NULL && call->usage_ad != NULL && call->usage_ad != call->up)
        t = prov_token_input(call->usage_ad, req->method.base, req->method.len, rest, rest_len, call->body, call->body_len);
    if (t == NULL)
        return 0;
    char msg[400];
    snprintf(msg, sizeof(msg),
             "aigw: `%s` holds token ids, text that aigw cannot read (it has no tokenizer) and so cannot scan for personal "
             "data; send the text as a string (LangChain Python OpenAIEmbeddings: check_embedding_ctx_length=False)",
             t->field);
    gw_send_error_as(call, GW_ERR_BODY_REFUSED, 400, "unscannable_tokens", msg);
    return -1;
}

/* A request whose answer carries its text where no placeholder can be restored (provider.h unrestorable_outputs: media
 * made from it, speech, audio chat, generated images and video; per-token log probabilities, each token a piece of a
 * placeholder): with a value to tokenize it is refused (400 pii_unrestorable, the types named, never the values) before
 * anything is forwarded; values the policy redacts, masks or hashes pass, as everywhere (no restore is promised for them).
 * @return 0 go on, -1 answered. */
static int refuse_unrestorable(gw_call_t *call)
{
    if (!call->need_restore)
        return 0;
    prov_unrestorable_kind_t kind = gw__unrestorable_kind(call);
    if (kind == PROV_UNRESTORABLE_NONE)
        return 0;
    const pol_pii_engine_t *e = gw_privacy_engine(call->gen->privacy);
    size_t nf;
    const pol_pii_finding_t *f = pol_pii_session_findings(call->pii, &nf);
    char types[200] = "";
    size_t tl = 0;
    for (size_t i = 0; i < nf; i++) {
        const char *name = pol_pii_type_name(e, f[i].type);
        size_t n = strlen(name);
        if (f[i].action != POL_PII_ACT_TOKENIZE || tl + n + 2 >= sizeof(types))
            continue;
        int seen = 0; /* each type once: "PERSON,PHONE_NUMBER" */
        for (const char *p = types; !seen && (p = strstr(p, name)) != NULL; p += n)
            seen = (p == types || p[-1] == ',') && (p[n] == ',' || p[n] == '\0');
        if (!seen)
            tl += (size_t)snprintf(types + tl, sizeof(types) - tl, "%s%s", tl != 0 ? "," : "", name);
    }
    /* what the request asks for, why placeholders cannot be restored in it, the first remedy */
    static const struct {
        const char *asks, *why, *remedy;
    } text[] = {
        [PROV_UNRESTORABLE_MEDIA] =
            {"answers with media made from the request's text (speech, or an image or video that may draw it)",
             " it restores in text answers only: the media would carry the placeholders", "Remove"},
        [PROV_UNRESTORABLE_LOGPROBS] =
            {"asks for log probabilities (logprobs)",
             ": the answer's tokens would be pieces of the placeholders, which aigw restores in the text "
             "but cannot restore token by token",
             "Drop logprobs, remove"},
    };
    int k = kind == PROV_UNRESTORABLE_LOGPROBS ? PROV_UNRESTORABLE_LOGPROBS : PROV_UNRESTORABLE_MEDIA;
    char msg[600];
    int rl = (int)(call->rest_len < 64 ? call->rest_len : 64);
    snprintf(msg, sizeof(msg),
             "aigw: %.*s %s, and the request holds personal data of type %s that aigw replaces by placeholders%s. %s the personal "
             "data, or set pii.actions for the type to redact, mask or allow",
             rl, call->rest, text[k].asks, types[0] != '\0' ? types : "?", text[k].why, text[k].remedy);
    gw_send_error_as(call, GW_ERR_BODY_REFUSED, 400, "pii_unrestorable", msg);
    return -1;
}

gw_stage_rc_t gw__stage_privacy(gw_call_t *call)
{
    if (refuse_token_input(call) != 0 || refuse_unrestorable(call) != 0)
        return GW_STAGE_ANSWERED;
    if (!call->consent_known) {
        int consent = resolve_consent(call);
        if (consent < 0)
            return GW_STAGE_PENDING; /* on_consent_done resumes here */
        call->consent_result = consent;
        call->consent_known = 1;
    }
    return gw__policy_pass(call, call->consent_result, NULL, 0) == 0 ? GW_STAGE_NEXT : GW_STAGE_ANSWERED;
}
