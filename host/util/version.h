#ifndef MUE_VERSION_H
#define MUE_VERSION_H
#define MUE_VERSION "0.1.0"
#endif
