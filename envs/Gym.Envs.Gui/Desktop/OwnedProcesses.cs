using System.Diagnostics;
using System.Globalization;
using System.Text;

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

    /// <summary>The ids of live processes whose environment has <paramref name="variable"/>=<paramref name="value"/> (any value when null).</summary>
    public static List<(int Pid, string Value)> Find(string variable, string? value = null)
    {
        List<(int, string)> found = [];
        byte[] prefix = Encoding.ASCII.GetBytes(variable + "=");
        int self = Environment.ProcessId;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == self)
                continue;
            byte[] environ;
            try
            {
                environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone, or not ours to read
            }
            foreach (Range entry in environ.AsSpan().Split((byte)0))
            {
                ReadOnlySpan<byte> text = environ.AsSpan(entry);
                if (!text.StartsWith(prefix))
                    continue;
                string v = Encoding.UTF8.GetString(text[prefix.Length..]);
                if (value is null || v == value)
                    found.Add((pid, v));
                break;
            }
        }
        return found;
    }

    /// <summary>Kills every process of display <paramref name="token"/> but <paramref name="except"/>, and waits (briefly) until they are gone.</summary>
    public static void KillDisplay(string token, params int[] except)
    {
        List<int> pids = [.. Find(TokenVariable, token).Select(p => p.Pid).Where(p => !except.Contains(p))];
        Kill(pids);
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
        foreach ((int pid, _) in Find(TokenVariable, token))
            if (Stat($"/proc/{pid}/stat") is { } fields)
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
                if (Stat(Path.Combine(task, "stat")) is [("R" or "D"), ..])
                    return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // gone
        }
        return false;
    }

    /// <summary>Kills what earlier Gym processes left running on their displays (their owner has exited).</summary>
    public static int SweepLeftovers()
    {
        List<int> orphans = [.. Find(OwnerVariable).Where(p => !int.TryParse(p.Value, out int owner) || !IsAlive(owner)).Select(p => p.Pid)];
        Kill(orphans);
        return orphans.Count;
    }

    /// <summary>Kills <paramref name="pids"/> (SIGKILL) and waits up to 2 s for them to exit.</summary>
    public static void Kill(IReadOnlyCollection<int> pids)
    {
        foreach (int pid in pids)
        {
            try
            {
                using Process p = Process.GetProcessById(pid);
                p.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // already gone
            }
        }
        DateTime deadline = DateTime.UtcNow.AddSeconds(2);
        while (pids.Any(IsRunning) && DateTime.UtcNow < deadline)
            Thread.Sleep(5);
    }

    /// <summary>Whether process <paramref name="pid"/> exists.</summary>
    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    // Alive and not a zombie waiting for its parent.
    private static bool IsRunning(int pid) => Stat($"/proc/{pid}/stat") is [var state, ..] && state is not ("Z" or "X");

    // The fields of a stat file (/proc/PID/stat, /proc/PID/task/TID/stat) after the command name (state first);
    // null when the process is gone.
    private static string[]? Stat(string path)
    {
        try
        {
            string stat = File.ReadAllText(path);
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
