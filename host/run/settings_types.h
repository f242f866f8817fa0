/* The parse and print functions of the settings that are more than a number or a path
 * (settings_types.c), for the rows of the table (settings_table.c). */
#ifndef MUE_SETTINGS_TYPES_H
#define MUE_SETTINGS_TYPES_H

#include "run/settings.h"

#define MUE_ST_DECL(name)                                                                          \
    int mue_st_##name##_parse(const mue_setting *s, const char *val, void *field,                 \
                              mue_run_config *c, char *why, size_t len);                           \
    void mue_st_##name##_print(const mue_setting *s, const void *field, const mue_run_config *c,  \
                               char *buf, size_t len);
MUE_ST_DECL(process)
MUE_ST_DECL(flavours)
MUE_ST_DECL(detector)
MUE_ST_DECL(hist_range)
MUE_ST_DECL(masses)
MUE_ST_DECL(max_weight)
MUE_ST_DECL(overweight)
MUE_ST_DECL(beam)
MUE_ST_DECL(beam_model)
MUE_ST_DECL(coupling_weights)
MUE_ST_DECL(format)
MUE_ST_DECL(schedule)
#undef MUE_ST_DECL
int mue_st_device_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                        char *why, size_t len);
int mue_st_g2_parse(const mue_setting *s, const char *val, void *field, mue_run_config *c,
                    char *why, size_t len);
/* a char array field as it is (--device, --g2) */
void mue_st_text_print(const mue_setting *s, const void *field, const mue_run_config *c, char *buf,
                       size_t len);

/* The g-2 band of scan --g2 (a preset's name, or VALUE,ERROR): 0, or -1. */
int mue_g2_band_of(const char *spec, double *central, double *sigma);

#endif
