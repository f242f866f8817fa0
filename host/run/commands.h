/* The commands as the library runs them: each takes a resolved run (settings.h),
 * writes the outputs it names, and hands back what it prints and its JSON document
 * (report.h). 0, or nonzero with a one-line reason; nothing is printed. */
#ifndef MUE_RUN_COMMANDS_H
#define MUE_RUN_COMMANDS_H

#include <stddef.h>

#include "run/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Dispatches on c->command. */
int mue_command_run(const mue_run_config *c, mue_report *rep, char *why, size_t len);

int mue_integrate_command(const mue_run_config *c, mue_report *rep, char *why, size_t len);
int mue_scan_command(const mue_run_config *c, mue_report *rep, char *why, size_t len);
int mue_generate_command(const mue_run_config *c, mue_report *rep, char *why, size_t len);
int mue_backgrounds_command(const mue_run_config *c, mue_report *rep, char *why, size_t len);
int mue_sensitivity_command(const mue_run_config *c, mue_report *rep, char *why, size_t len);
int mue_g2_command(const mue_run_config *c, mue_report *rep, char *why, size_t len);
int mue_kinematics_command(const mue_run_config *c, mue_report *rep, char *why, size_t len);

/* The notice of --device auto: why each backend ahead of the one taken was passed
 * over (to c's note function). */
void mue_device_notice(const mue_run_config *c);

#ifdef __cplusplus
}
#endif

#endif
