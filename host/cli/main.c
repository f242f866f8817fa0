/* `mue`: the command line of the library (cli.c). */
#include "cli/cli.h"

int main(int argc, char **argv) { return mue_cli_main(argc, argv, 0); }
