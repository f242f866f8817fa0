/* The subcommands of `mue` beyond integrate and g2 (main.c dispatches). */
#ifndef MUE_COMMANDS_H
#define MUE_COMMANDS_H

int mue_cmd_scan(int argc, char **argv);
int mue_cmd_kinematics(int argc, char **argv);

#endif
