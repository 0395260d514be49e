using System.Diagnostics;
using System.Globalization;
using Gym.Core.Processes;

namespace Gym.Envs.Gui.Desktop;

/// <summary>
/// Every process Gym starts for a display carries <c>GYM_GUI_TOKEN</c> (the display's) and <c>GYM_GUI_OWNER</c>
/// (this process's id) in its environment, and so do the children it forks: killing by token reaches an
/// application's helpers too, and a sweep finds what a crashed run left behind (an owner no longer alive).
/// </summary>
public static class OwnedProcesses
{
    /// <summary>The variable that names the display a process belongs to.</summary>
    public const string TokenVariable = "GYM_GUI_TOKEN";

    /// <summary>The variable that names the Gym process that started it.</summary>
    public const string OwnerVariable = "GYM_GUI_OWNER";

    /// <summary>Kills every process of display <paramref name="token"/> but <paramref name="except"/>, and waits (briefly) until they are gone.</summary>
    public static void KillDisplay(string token, params int[] except)
    {
        List<int> pids = [.. MarkedProcesses.Find(TokenVariable, token).Select(p => p.Pid).Where(p => !except.Contains(p))];
        MarkedProcesses.Kill(pids);
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until display <paramref name="token"/>'s processes are idle for
    /// <paramref name="quiet"/> (see <see cref="IsIdle"/>). A command the agent started writes its files until it
    /// exits; judging before then reads half a result.
    /// </summary>
    public static async Task WaitIdleAsync(string token, TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        Stopwatch clock = Stopwatch.StartNew();
        TimeSpan idleSince = TimeSpan.Zero;
        while (clock.Elapsed < limit)
        {
            if (!IsIdle(token))
                idleSince = clock.Elapsed;
            else if (clock.Elapsed - idleSince >= quiet)
                return;
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether display <paramref name="token"/>'s processes are idle now: no thread of theirs running or in disk
    /// wait (an application hands file work to worker threads), and no terminal busy with a command (a process in
    /// its terminal's foreground group other than the shell).
    /// </summary>
    public static bool IsIdle(string token)
    {
        List<(string Pid, string[] Fields)> processes = [];
        foreach ((int pid, _) in MarkedProcesses.Find(TokenVariable, token))
            if (MarkedProcesses.Stat($"/proc/{pid}/stat") is { } fields)
                processes.Add((pid.ToString(CultureInfo.InvariantCulture), fields));
        HashSet<string> ours = [.. processes.Select(p => p.Pid)];
        return !processes.Any(p => InTerminalCommand(p.Pid, p.Fields, ours) || AnyThreadBusy(p.Pid));
    }

    // Fields after the command name: state ppid pgrp session tty_nr tpgid. Only a terminal session started on the
    // display counts (applications may share the controlling terminal Gym itself was started from).
    private static bool InTerminalCommand(string pid, string[] fields, HashSet<string> ours) =>
        fields[4] != "0" && fields[2] == fields[5] && fields[3] != pid && ours.Contains(fields[3]);

    private static bool AnyThreadBusy(string pid)
    {
        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                if (MarkedProcesses.Stat(Path.Combine(task, "stat")) is [("R" or "D"), ..])
                    return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended between the listing and the read: it is not busy.
        }
        return false;
    }

    /// <summary>Kills what earlier Gym processes left running on their displays (their owner has exited).</summary>
    public static int SweepLeftovers()
    {
        List<int> orphans = [.. MarkedProcesses.Find(OwnerVariable).Where(p => !int.TryParse(p.Value, out int owner) || !MarkedProcesses.IsAlive(owner)).Select(p => p.Pid)];
        MarkedProcesses.Kill(orphans);
        return orphans.Count;
    }

}
