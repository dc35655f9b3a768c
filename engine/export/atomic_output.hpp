#pragma once
// An output file that appears whole or not at all: written under a temporary name in
// the same folder, renamed over the target on commit(), removed if never committed, and
// removed too when the run is stopped by SIGINT, SIGTERM or SIGHUP (exit 128 + signal).
// Temporaries of runs that died otherwise are swept by the next run writing beside them.

#include <filesystem>

namespace hearth {

/// SIGINT, SIGTERM and SIGHUP end the run at once (exit 128 + signal), removing the
/// temporaries of any AtomicOutput; installed by AtomicOutput, and by writers whose
/// all-or-nothing rests on the process ending (a PostGIS transaction rolls back when its
/// connection goes), since a run started in the background ignores SIGINT otherwise.
void handle_stop_signals();

class AtomicOutput {
public:
    /// Creates the target's folder if needed. OutputError when it cannot, or when the
    /// target is a file this run reads (note_input_file).
    explicit AtomicOutput(std::filesystem::path target);
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;
    AtomicOutput(AtomicOutput&&) = delete;
    AtomicOutput& operator=(AtomicOutput&&) = delete;

    /// Where to write meanwhile.
    const std::filesystem::path& temporary_path() const { return temporary_; }
    const std::filesystem::path& target() const { return target_; }
    /// Moves the finished file into place. OutputError when the rename fails.
    void commit();

private:
    std::filesystem::path target_;
    std::filesystem::path temporary_;
    bool committed_ = false;
    int slot_ = -1;  ///< where the signal handler finds the temporary to remove
};

}  // namespace hearth
