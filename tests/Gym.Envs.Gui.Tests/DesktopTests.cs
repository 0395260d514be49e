using Gym.Core;
using Gym.Core.Processes;
using Gym.Envs.Gui.Desktop;
using static Gym.Envs.Gui.Tests.GuiTaskFixtures;

namespace Gym.Envs.Gui.Tests;

/// <summary>The desktop layer end to end: Xvfb, openbox, an application, XTEST input, screenshots, the file judged.</summary>
[TestFixture]
public sealed class DesktopTests
{
    private const string Terminal = """
        {"setup": [{"launch": ["xterm", "-geometry", "80x24+100+100"], "window": "xterm"}],
         "evaluator": {"type": "file", "path": "out.txt", "equals": "hello from gym"}}
        """;

    [Test, CancelAfter(60_000)]
    public async Task TypingIntoATerminalWritesTheFileAndDoneJudgesIt()
    {
        await using GuiEnvironment env = new();
        Observation first = await env.ResetAsync(Task(Terminal), new ResetOptions());
        Assert.That(first.Text, Does.Contain("(XTerm)").And.Contain("focused"));
        Assert.That(first.Images, Has.Count.EqualTo(1));
        Assert.That(first.Images[0].Data.Span[..4].ToArray(), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        StepResult typed = await Step(env, "type('echo hello from gym > out.txt\\n')");
        Assert.That(typed.Info.ActionValid, Is.True, typed.Observation.Feedback);
        Assert.That(typed.Observation.StateKey, Is.Not.EqualTo(first.StateKey), "the terminal shows the command");
        StepResult done = await Step(env, "done()");
        Assert.That(done.Terminated && done.Reward == 1, Is.True, done.Observation.Text);
    }

    [Test, CancelAfter(60_000)]
    public async Task DoneWaitsForACommandStillWritingItsFile()
    {
        await using GuiEnvironment env = new();
        await env.ResetAsync(Task(Terminal), new ResetOptions());
        // The file exists, empty, at once; its text comes 0.6 s later, after the screen has settled from the typing.
        await Step(env, "type('(sleep 0.6; echo hello from gym) > out.txt\\n')");
        StepResult done = await Step(env, "done()");
        Assert.That(done.Reward, Is.EqualTo(1), done.Observation.Text);
    }

    [Test, CancelAfter(60_000)]
    public async Task AThreadAtWorkKeepsTheDisplayBusyWhileItsMainThreadSleeps()
    {
        // A background job (not the terminal's foreground) whose main thread sleeps while another thread computes: an
        // application that hands its work to a worker looks just like this.
        const string Spinner = """
            {"setup": [{"file": "spin.py", "text": "import threading, time\nthreading.Thread(target=lambda: [0 for _ in iter(int, 1)], daemon=True).start()\ntime.sleep(60)\n"},
                       {"launch": ["xterm", "-geometry", "80x24+100+100"], "window": "xterm"}],
             "evaluator": {"type": "infeasible"}}
            """;
        await using GuiEnvironment env = new();
        await env.ResetAsync(Task(Spinner), new ResetOptions());
        string token = env.Display!.Token;
        Assert.That(await IdleWithin(token, TimeSpan.FromSeconds(5)), Is.True, "a terminal at its prompt");
        await Step(env, "type('/usr/bin/python3 spin.py &\n')");
        List<int> python = [];
        for (int i = 0; i < 100 && python.Count == 0; i++, await System.Threading.Tasks.Task.Delay(50))
            python = [.. MarkedProcesses.Find(OwnedProcesses.TokenVariable, token).Select(p => p.Pid).Where(p => File.ReadAllText($"/proc/{p}/cmdline").Contains("spin.py"))];
        Assert.That(python, Has.Count.EqualTo(1), "the spinner started");
        await System.Threading.Tasks.Task.Delay(200);
        Assert.That(File.ReadAllText($"/proc/{python[0]}/stat").Split(") ")[1][0], Is.EqualTo('S'), "its main thread sleeps");
        Assert.That(OwnedProcesses.IsIdle(token), Is.False);
        await Step(env, "type('kill %1\n')");
        Assert.That(await IdleWithin(token, TimeSpan.FromSeconds(5)), Is.True, "idle once the job is killed");
    }

    private static async Task<bool> IdleWithin(string token, TimeSpan limit)
    {
        for (DateTime end = DateTime.UtcNow + limit; DateTime.UtcNow < end; await System.Threading.Tasks.Task.Delay(20))
            if (OwnedProcesses.IsIdle(token))
                return true;
        return false;
    }

    [Test, CancelAfter(60_000)]
    public async Task DownscaledScreenshotsScaleCoordinatesBackToTheScreen()
    {
        await using GuiEnvironment env = new(new GuiOptions { ScreenshotScale = 2 });
        Observation first = await env.ResetAsync(Task(Terminal), new ResetOptions());
        Assert.That(first.Text, Does.Contain("Screen: 640x400 pixels"));
        byte[] png = first.Images[0].Data.ToArray();
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), Is.EqualTo(640), "the PNG's width");
        WindowInfo shown = GuiOracle.Windows(first.Text).Single(), real = env.Display!.Windows().Single();
        Assert.That((shown.X, shown.Y, shown.Width), Is.EqualTo((real.X / 2, real.Y / 2, real.Width / 2)), "the screenshot's coordinates are half the screen's");
        StepResult offScreen = await Step(env, "click(700, 10)");
        Assert.That(offScreen.Info.Error, Does.StartWith("click: (700, 10) is off the screen (640x400)."));
        await Step(env, "type('echo hello from gym > out.txt\n')");
        Assert.That((await Step(env, "done()")).Reward, Is.EqualTo(1));
    }

    [Test, CancelAfter(60_000)]
    public async Task DisposeLeavesNoProcessOfTheDisplay()
    {
        GuiEnvironment env = new();
        await env.ResetAsync(Task(Terminal), new ResetOptions());
        string token = env.Display!.Token;
        Assert.That(MarkedProcesses.Find(OwnedProcesses.TokenVariable, token), Has.Count.GreaterThanOrEqualTo(3), "Xvfb, openbox, xterm");
        await env.DisposeAsync();
        Assert.That(MarkedProcesses.Find(OwnedProcesses.TokenVariable, token), Is.Empty);
    }
}
