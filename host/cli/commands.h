/* The subcommands of `mue`, one file each (main.c dispatches). Each takes the
 * arguments after the command's name and returns the exit status. */
#ifndef MUE_COMMANDS_H
#define MUE_COMMANDS_H

int mue_cmd_integrate(int argc, char **argv);
int mue_cmd_g2(int argc, char **argv);
int mue_cmd_scan(int argc, char **argv);
int mue_cmd_kinematics(int argc, char **argv);
int mue_cmd_backgrounds(int argc, char **argv);
int mue_cmd_generate(int argc, char **argv);

#endif
