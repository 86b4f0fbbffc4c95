// Calls back when files may have changed. Kubernetes updates a mounted Secret by
// swapping a `..data` symlink in the directory, which fs.watch on the directory
// sees; some volume types report nothing, so a poll backs it up. The callback must
// compare contents itself: both sources fire spuriously.
import { type FSWatcher, watch } from 'node:fs';
import { dirname } from 'node:path';

export interface FileWatch {
  close(): void;
}

export function watchFiles(paths: readonly string[], intervalMs: number, onChange: () => void): FileWatch {
  let pending: NodeJS.Timeout | undefined;
  const debounced = () => {
    clearTimeout(pending);
    pending = setTimeout(onChange, 50);
  };
  const watchers: FSWatcher[] = [];
  for (const directory of new Set(paths.map((path) => dirname(path)))) {
    try {
      const watcher = watch(directory, debounced);
      watcher.on('error', () => {
        // The directory went away (volume remount): the poll keeps working.
      });
      watchers.push(watcher);
    } catch {
      // Unwatchable directory (missing, or a filesystem without inotify): poll only.
    }
  }
  const poll = setInterval(onChange, intervalMs);
  poll.unref();
  return {
    close() {
      clearTimeout(pending);
      clearInterval(poll);
      for (const watcher of watchers) watcher.close();
    },
  };
}
