/* `wellbeingd migrate`: numbered migrations once each, then the seed. */
#ifndef MIGRATE_H
#define MIGRATE_H

/* Returns a process exit code. */
int migrate_run(const char *conninfo, const char *data_dir);

#endif
