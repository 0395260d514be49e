using System.Diagnostics;
using System.Globalization;
using Gym.Core;
using Gym.Core.Processes;
using Gym.Envs.Gui.Accessibility;
using Gym.Envs.Gui.Desktop;
using static Gym.Envs.Gui.Tests.GuiTaskFixtures;

namespace Gym.Envs.Gui.Tests;

/// <summary>The applications' accessibility trees in observations, read over the display's own AT-SPI bus.</summary>
[TestFixture]
public sealed class AccessibilityTests
{
    [Test, CancelAfter(60_000)]
    public async Task TheEditorsTreeShowsItsMenusAndTheFilesText()
    {
        await using GuiEnvironment env = new();
        Observation first = await env.ResetAsync(Kind("editor-append", 2), new ResetOptions());
        List<AccessibleElement> elements = AccessibilityTree.Parse(first.Text);
        WindowInfo window = env.Display!.Windows().Single();
        AccessibleElement file = elements.Single(e => e.Role == "menu" && e.Name == "File");
        Assert.That(file.X >= window.X && file.Y >= window.Y && file.X < window.X + window.Width, Is.True, "the menu lies inside the window, in screen coordinates");
        string notes = await File.ReadAllTextAsync(Path.Combine(env.Home!, "notes.txt"));
        string firstLine = notes.Split('\n')[0];
        Assert.That(first.Text, Does.Contain($"text \"\" at (").And.Contain($", focused: \"{firstLine}\\n"), "the editor's text, focused");
        Assert.That(first.Text, Does.Not.Contain("menu item \"Save"), "closed menus' items are not showing");

        // Opening the menu shows its items, at their places.
        await Step(env, $"click({file.Centre.X}, {file.Centre.Y})");
        StepResult open = await Step(env, "wait(200)");
        AccessibleElement save = AccessibilityTree.Parse(open.Observation.Text).First(e => e.Role == "menu item" && e.Name.StartsWith("Save", StringComparison.Ordinal));
        Assert.That(save.Y, Is.GreaterThan(file.Y), "the menu opens below its title");
    }

    [Test, CancelAfter(60_000)]
    public async Task TheFileManagersListNamesItsFilesWhereTheyAre()
    {
        await using GuiEnvironment env = new(new GuiOptions { ScreenshotScale = 2 });
        await env.ResetAsync(Kind("files-delete", 3), new ResetOptions());
        await Step(env, "key('ctrl+4')");
        StepResult list = await Step(env, "wait(300)");
        string[] files = [.. Directory.GetFiles(env.Home!).Select(Path.GetFileName).Where(f => !f!.StartsWith('.')).Order(StringComparer.Ordinal)!];
        List<AccessibleElement> cells = [.. AccessibilityTree.Parse(list.Observation.Text).Where(e => e.Role == "table cell" && files.Contains(e.Name))];
        Assert.That(cells.Select(c => c.Name), Is.EqualTo(files), "each file once, in the list's order");
        Assert.That(cells[0].Y, Is.LessThan(cells[1].Y));
        WindowInfo window = GuiOracle.Windows(list.Observation.Text).Single();
        Assert.That(cells.All(c => c.X > window.X && c.X < window.X + window.Width && c.Y < window.Y + window.Height), Is.True, "positions in the screenshot's (halved) coordinates");
    }

    [Test, CancelAfter(60_000)]
    public async Task AFrozenApplicationCostsTheTimeoutNotAHang()
    {
        await using GuiEnvironment env = new(new GuiOptions { AccessibilityTimeout = TimeSpan.FromMilliseconds(300) });
        await env.ResetAsync(Kind("editor-append", 5), new ResetOptions());
        int pid = MarkedProcesses.Find(OwnedProcesses.TokenVariable, env.Display!.Token).Select(p => p.Pid).Single(p => File.ReadAllText($"/proc/{p}/comm").Trim() == "mousepad");
        using (Process stop = Process.Start("kill", ["-STOP", pid.ToString(CultureInfo.InvariantCulture)]))
            await stop.WaitForExitAsync();
        try
        {
            Stopwatch clock = Stopwatch.StartNew();
            (List<AccessibleElement> elements, bool complete) = env.Display.Accessibility!.Read();
            Assert.That((elements.Count, complete), Is.EqualTo((0, false)));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        }
        finally
        {
            using Process resume = Process.Start("kill", ["-CONT", pid.ToString(CultureInfo.InvariantCulture)])!;
            await resume.WaitForExitAsync();
        }
        Assert.That(env.Display.Accessibility.Read().Elements, Is.Not.Empty, "the next read connects again");
    }

    [Test, CancelAfter(60_000)]
    public async Task WithoutAccessibilityThereIsNoTreeAndNoBus()
    {
        await using GuiEnvironment env = new(new GuiOptions { AccessibilityTree = false });
        Observation first = await env.ResetAsync(Kind("editor-append", 6), new ResetOptions());
        Assert.That(first.Text, Does.Not.Contain("Accessibility tree"));
        Assert.That(MarkedProcesses.Find(OwnedProcesses.TokenVariable, env.Display!.Token).Select(p => File.ReadAllText($"/proc/{p.Pid}/comm").Trim()), Has.None.EqualTo("dbus-daemon"));
    }

    [Test]
    public void FormattedElementsParseBack()
    {
        AccessibleElement[] elements =
        [
            new("push button", "Say \"hi\"", 10, 20, 30, 40, ["focused", "pressed"], null, 0),
            new("text", "", 4, 6, 8, 10, [], "a\nb", 1),
            new("page tab", "", null, 0, 0, 0, ["selected"], null, 1),
        ];
        string text = AccessibilityTree.Format(elements, 2);
        Assert.That(text, Does.Contain("  push button \"Say \\\"hi\\\"\" at (5, 10) size 15x20, focused, pressed\n"));
        List<AccessibleElement> back = AccessibilityTree.Parse(text);
        Assert.That(back.Select(e => (e.Role, e.Name, e.X, e.Y, e.Depth)), Is.EqualTo(new[] { ("push button", "Say \"hi\"", (int?)5, 10, 0), ("text", "", 2, 3, 1) }), "elements without a position are not targets");
        Assert.That(back[0].States, Is.EqualTo(new[] { "focused", "pressed" }));
    }
}
