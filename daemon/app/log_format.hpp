// How hotlined's log lines look. On a terminal or a file: a time stamp with its UTC offset
// (2026-12-06T11:04:05.123+08:00), the logger's name, the level (coloured on a terminal) and the message. When
// stderr is the journal (systemd sets JOURNAL_STREAM to stderr's device:inode): an sd-daemon(3) priority prefix
// (<3> error, <4> warning, <6> info, <7> debug) and the message only, as the journal stamps and colours lines itself.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string_view>

namespace hotline::daemon {

// Whether `fd` is the stream JOURNAL_STREAM (`journal_stream`, "DEVICE:INODE", may be null) names.
bool is_journal_stream(const char* journal_stream, int fd);

// The formatter of every line: the journal's form or the terminal's.
std::unique_ptr<spdlog::formatter> make_log_formatter(bool journal);

// Makes the default logger "hotlined" on stderr in the form that fits where stderr goes (colours only on a
// terminal, never to the journal).
void install_daemon_logger();

}  // namespace hotline::daemon
