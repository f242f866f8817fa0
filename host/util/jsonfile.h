/* JSON documents out: into a file atomically (afile.h), or into a string; every double
 * with 17 significant digits, so that a reader gets the bits back. */
#ifndef MUE_JSONFILE_H
#define MUE_JSONFILE_H

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_JSON_FLAGS (JSON_INDENT(1) | JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER)

/* o into path, through a temporary renamed when complete: 0, or -1 with nothing left
 * under the name. */
int mue_json_write_file(const char *path, const json_t *o);
/* o as text (malloc'd, with a final newline); NULL out of memory. */
char *mue_json_text(const json_t *o);
/* s as a JSON string; bytes that are not UTF-8 (a file name may hold any) as the text
 * \xNN, since JSON text is UTF-8. NULL out of memory. */
json_t *mue_json_string(const char *s);
/* A finite double as a JSON number, else NULL (JSON has no nan or inf): a document
 * built with these fails to build rather than carry a null where a number belongs. */
json_t *mue_json_real(double v);

#ifdef __cplusplus
}
#endif

#endif
