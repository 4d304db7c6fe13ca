/*
 * tf_encrypted: the OpenTofu encryption envelope (encryption_version,
 * encrypted_data, meta; no numeric version) around state or a plan. It reports
 * what stays readable (serial, lineage, key providers); it never decrypts. It
 * blocks: with the team's key, encrypted state is as live as plaintext.
 */
#include "detect/detect_int.h"

#include <string.h>

int tf_encrypted_detect(struct blob *b)
{
	if (b->json != JSON_OK)
		return 0;
	const cJSON *ev = json_get(b->root, "encryption_version"),
	            *data = json_get(b->root, "encrypted_data"), *meta = json_get(b->root, "meta");
	if (!cJSON_IsString(ev) || !ev->valuestring[0] || !cJSON_IsString(data) ||
	    !cJSON_IsObject(meta) || cJSON_IsNumber(json_get(b->root, "version")))
		return 0;
	cJSON *d = cJSON_CreateObject();
	if (!d)
		return -1;
	cJSON_AddStringToObject(d, "encryption_version", ev->valuestring);
	const cJSON *serial = json_get(b->root, "serial"), *lineage = json_get(b->root, "lineage");
	if (cJSON_IsNumber(serial))
		cJSON_AddNumberToObject(d, "serial", serial->valuedouble);
	if (cJSON_IsString(lineage))
		cJSON_AddStringToObject(d, "lineage", lineage->valuestring);
	cJSON *kp = cJSON_AddArrayToObject(d, "key_providers");
	const cJSON *m;
	cJSON_ArrayForEach(m, meta) {
		if (m->string && cJSON_GetArraySize(kp) < 16)
			cJSON_AddItemToArray(kp, cJSON_CreateString(m->string));
	}
	int state = cJSON_IsString(lineage) || cJSON_IsNumber(serial);
	finding_list_add(b->ctx->out, "tf-state-encrypted", SG_SEV_BLOCK, b->path,
	                 state ? "OpenTofu encrypted state: still the live state of an environment. "
	                         "With the team's key (usually in the environment or a KMS the team "
	                         "can use), `tofu destroy` with this file deletes everything it "
	                         "tracks; lineage, serial and key provider names are readable "
	                         "anyway. Keep state in the backend, not in Git."
	                       : "OpenTofu encrypted state or plan: with the team's key it is as "
	                         "good as the plaintext (a plan applies changes to live "
	                         "infrastructure); key provider names are readable anyway. Keep it "
	                         "out of the repository.",
	                 d);
	b->state_found = 1;
	return 0;
}
