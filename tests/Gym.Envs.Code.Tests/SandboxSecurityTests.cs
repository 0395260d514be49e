using Gym.Envs.Code.Sandbox;

namespace Gym.Envs.Code.Tests;

/// <summary>
/// The security battery: hostile programs run in hardened sandboxes must be contained, end with a clear reason,
/// and leave the host and the other sandboxes unaffected.
/// </summary>
[TestFixture]
public sealed class SandboxSecurityTests
{
    private DockerSandboxProvider _provider = null!;
    private string _hostSecret = "";

    private static readonly SandboxLimits Limits = new() { CommandTimeout = TimeSpan.FromSeconds(3), Pids = 64, MemoryBytes = 128L << 20, FileSizeBytes = 8L << 20, WorkDirBytes = 32L << 20 };

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _provider = await DockerSandboxProvider.StartAsync(DockerFixture.Docker, DockerFixture.Recipe.Tag, limits: Limits, poolSize: 2);
        _hostSecret = Path.Combine(Path.GetTempPath(), $"gym-host-secret-{Guid.NewGuid():N}");
        File.WriteAllText(_hostSecret, "host only");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _provider.DisposeAsync();
        File.Delete(_hostSecret);
    }

    // Each hostile program, with what containment looks like for it.
    public static IEnumerable<TestCaseData> Hostile()
    {
        TestCaseData Case(string name, string command, Func<CommandResult, bool> contained) => new TestCaseData(command, contained).SetName($"Contains {name}");
        yield return Case("a fork bomb", "f(){ f | f & }; f; sleep 2", r => r.Stderr.Contains("Cannot fork", StringComparison.Ordinal) || r.ExitCode != 0 || r.TimedOut);
        yield return Case("a memory bomb", "python3 -c 'x = []\nwhile True: x.append(bytearray(8 << 20))'", r => r.ExitCode is 137 or 1);
        yield return Case("one huge allocation", "python3 -c 'bytearray(1 << 33)'", r => r.ExitCode != 0 && (r.Stderr.Contains("MemoryError", StringComparison.Ordinal) || r.ExitCode == 137));
        yield return Case("an infinite loop", "python3 -c 'while True: pass'", r => r.TimedOut);
        yield return Case("sleeping forever", "sleep infinity", r => r.TimedOut);
        yield return Case("a process ignoring SIGTERM", "trap '' TERM; while :; do :; done", r => r.TimedOut);
        yield return Case("gigabytes of output", "yes gym-output-flood", r => r.OutputTruncated && r.Stdout.Contains("bytes of output omitted", StringComparison.Ordinal) && r.Stdout.Length < 64 << 10);
        yield return Case("a huge file", "head -c 100000000 /dev/zero > big.bin; echo $?; ls -l big.bin", r => r.ExitCode != 0 || r.Stdout.Contains("8388608", StringComparison.Ordinal));
        yield return Case("filling the work directory", "for i in 1 2 3 4 5 6; do head -c 7000000 /dev/zero > f$i || exit 9; done", r => r.ExitCode != 0 && r.Stderr.Contains("No space left", StringComparison.Ordinal));
        yield return Case("network access by socket", "python3 -c \"import socket; socket.create_connection(('1.1.1.1', 80), timeout=2)\"", r => r.ExitCode == 1 && r.Stderr.Contains("OSError", StringComparison.Ordinal) || r.Stderr.Contains("unreachable", StringComparison.Ordinal));
        yield return Case("network access by DNS", "python3 -c \"import socket; socket.gethostbyname('deb.debian.org')\"", r => r.ExitCode == 1 && r.Stderr.Contains("gaierror", StringComparison.Ordinal));
        yield return Case("a network interface other than loopback", "cat /proc/net/dev | grep -v -e lo: -e Inter -e face", r => r.Stdout.Trim().Length == 0);
        yield return Case("reading the host's files", "cat {secret}", r => r.ExitCode != 0 && !r.Stdout.Contains("host only", StringComparison.Ordinal));
        yield return Case("reading protected files", "cat /etc/shadow", r => r.ExitCode != 0 && r.Stderr.Contains("Permission denied", StringComparison.Ordinal));
        yield return Case("writing outside the work directory", "echo pwned >> /etc/passwd || touch /usr/bin/pwned || echo x > /pwned", r => r.ExitCode != 0 && r.Stderr.Contains("Read-only file system", StringComparison.Ordinal));
        yield return Case("executing from /tmp", "printf '#!/bin/sh\\necho ran' > /tmp/x && chmod +x /tmp/x && /tmp/x", r => r.ExitCode != 0 && !r.Stdout.Contains("ran", StringComparison.Ordinal));
        yield return Case("killing the parent", "kill -9 $PPID; sleep 1; echo survived", r => !r.Stdout.Contains("survived", StringComparison.Ordinal) || r.ExitCode != 0);
        yield return Case("killing PID 1", "kill -9 1", r => r.ExitCode != 0);
        yield return Case("a setuid escalation", "python3 -c 'import os; os.setuid(0)'", r => r.ExitCode == 1 && r.Stderr.Contains("PermissionError", StringComparison.Ordinal));
        yield return Case("sysrq through /proc", "echo b > /proc/sysrq-trigger", r => r.ExitCode != 0);
        yield return Case("writing kernel settings in /sys", "echo 1 > /sys/kernel/mm/ksm/run", r => r.ExitCode != 0);
        yield return Case("creating a device node", "mknod /work/disk b 8 0", r => r.ExitCode != 0);
        yield return Case("reading a block device", "head -c 512 /dev/sda || head -c 512 /dev/vda || head -c 512 /dev/nvme0n1", r => r.ExitCode != 0);
        yield return Case("mounting a file system", "mount -t tmpfs none /work", r => r.ExitCode != 0);
        yield return Case("a new user namespace", "unshare -U -r id", r => r.ExitCode != 0);
        yield return Case("changing the host name", "hostname pwned", r => r.ExitCode != 0);
    }

    [TestCaseSource(nameof(Hostile)), CancelAfter(60_000)]
    public async Task HostileProgram(string command, Func<CommandResult, bool> contained)
    {
        command = command.Replace("{secret}", _hostSecret, StringComparison.Ordinal);
        await using ISandbox sandbox = await _provider.AcquireAsync();
        CommandResult result = await sandbox.RunAsync(command);
        string what = $"{result.Reason}\nstdout: {Clip(result.Stdout)}\nstderr: {Clip(result.Stderr)}";
        Assert.That(contained(result), Is.True, what);
        Assert.That(result.Seconds, Is.LessThan(Limits.CommandTimeout.TotalSeconds + 5), "the command was stopped near its limit");
        Assert.That(result.Reason, Is.Not.Empty);
        // Nothing of it survives the command, and the same sandbox still works.
        CommandResult after = await sandbox.RunAsync("ps -e -o user=,comm= | awk '$1 != \"root\"' | grep -v -e '^sandbox *ps$' -e '^sandbox *awk$' -e '^sandbox *grep$' -e '^sandbox *sh$' -e '^sandbox *timeout$' || true");
        Assert.That(after.ExitCode, Is.EqualTo(0), after.Reason);
        Assert.That(after.Stdout.Trim(), Is.Empty, "no process of the user outlives a command");
        // The host and the other sandboxes are unaffected.
        Assert.That(File.ReadAllText(_hostSecret), Is.EqualTo("host only"));
        await using ISandbox other = await _provider.AcquireAsync();
        CommandResult fine = await other.RunAsync("python3 -c 'print(6 * 7)'");
        Assert.That((fine.ExitCode, fine.Stdout.Trim()), Is.EqualTo(((int?)0, "42")), fine.Reason);
    }

    [Test, CancelAfter(60_000)]
    public async Task ABackgroundProcessDoesNotOutliveItsCommand()
    {
        await using ISandbox sandbox = await _provider.AcquireAsync();
        CommandResult started = await sandbox.RunAsync("sleep 1000 & setsid sleep 1001 & nohup sleep 1002 > /dev/null 2>&1 & echo started");
        Assert.That(started.Stdout.Trim(), Is.EqualTo("started"));
        Assert.That(started.Seconds, Is.LessThan(2), "the command returned without waiting for its children");
        CommandResult ps = await sandbox.RunAsync("ps -e -o user=,comm= | grep -c '^sandbox *sleep' || true");
        Assert.That(ps.Stdout.Trim(), Is.EqualTo("0"));
    }

    [Test, CancelAfter(60_000)]
    public async Task FilesAreWrittenAndRunAsTheUnprivilegedUser()
    {
        await using ISandbox sandbox = await _provider.AcquireAsync();
        await sandbox.WriteFileAsync("pkg/solution.py", "def add(a, b):\n    return a + b\n");
        CommandResult run = await sandbox.RunAsync("python3 -c 'import sys; sys.path.insert(0, \"pkg\"); from solution import add; print(add(2, 3))'; id -u; pwd");
        Assert.That(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "5", "1000", "/work" }), run.Stderr);
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.WriteFileAsync("../etc/x", ""));
        await Assert.ThrowsAsync<ArgumentException>(() => sandbox.WriteFileAsync("/etc/x", ""));
    }

    private static string Clip(string s) => s.Length > 400 ? s[..400] + "..." : s;
}
