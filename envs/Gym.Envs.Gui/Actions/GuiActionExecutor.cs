using Gym.Core.Actions;
using Gym.Envs.Gui.Desktop;
using Gym.Envs.Gui.X11;

namespace Gym.Envs.Gui.Actions;

/// <summary>Carries out a parsed GUI action through XTEST on the display.</summary>
public static class GuiActionExecutor
{
    private static readonly TimeSpan ChordPause = TimeSpan.FromMilliseconds(40);

    /// <summary>Runs <paramref name="action"/>; screenshot coordinates are multiplied by <paramref name="scale"/>.</summary>
    public static async Task RunAsync(VirtualDisplay display, CallAction action, int scale, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(display);
        ArgumentNullException.ThrowIfNull(action);
        X11Connection x = display.X;
        (int X, int Y) Point(string px, string py)
        {
            double ax = action.Number(px) * scale, ay = action.Number(py) * scale;
            if (ax < 0 || ay < 0 || ax >= x.Width || ay >= x.Height)
                throw new GuiActionException($"{action.Name}: ({action.Number(px)}, {action.Number(py)}) is off the screen ({x.Width / scale}x{x.Height / scale}).");
            return ((int)ax, (int)ay);
        }
        void Click(int button, int times)
        {
            for (int i = 0; i < times; i++)
            {
                x.FakeButton(button, true);
                x.FakeButton(button, false);
            }
        }
        switch (action.Name)
        {
            case "click" or "double_click" or "right_click" or "move":
                (int cx, int cy) = Point("x", "y");
                x.FakeMotion(cx, cy);
                if (action.Name != "move")
                    Click(action.Name == "right_click" ? 3 : 1, action.Name == "double_click" ? 2 : 1);
                x.Sync();
                break;
            case "drag":
                (int x1, int y1) = Point("x1", "y1");
                (int x2, int y2) = Point("x2", "y2");
                x.FakeMotion(x1, y1);
                x.FakeButton(1, true);
                x.Sync();
                // In steps, so that applications see a drag rather than a jump.
                for (int i = 1; i <= 10; i++)
                {
                    x.FakeMotion(x1 + (x2 - x1) * i / 10, y1 + (y2 - y1) * i / 10);
                    x.Sync();
                    await Task.Delay(5, cancellationToken).ConfigureAwait(false);
                }
                x.FakeButton(1, false);
                x.Sync();
                break;
            case "scroll":
                (int sx, int sy) = Point("x", "y");
                int dy = (int)Math.Round(action.Number("dy"));
                if (dy == 0 || Math.Abs(dy) > 50)
                    throw new GuiActionException($"scroll: dy must be a whole number of wheel steps from -50 to 50 other than 0, got {action.Number("dy")}.");
                x.FakeMotion(sx, sy);
                Click(dy > 0 ? 5 : 4, Math.Abs(dy));
                x.Sync();
                break;
            case "type":
                display.Keyboard.Type(action.Text("text"));
                break;
            case "key":
                string[] chords = action.Text("keys").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (int c = 0; c < chords.Length; c++)
                {
                    string chord = chords[c];
                    // A pause between chords, as a person leaves: a popup the last key closes has let go of the keyboard.
                    if (c > 0)
                        await Task.Delay(ChordPause, cancellationToken).ConfigureAwait(false);
                    List<uint> keysyms = [];
                    foreach (string name in chord.Split('+'))
                        keysyms.Add(Keyboard.KeysymOf(name) ?? throw new GuiActionException($"key: '{name}' in '{chord}' is not a key (ctrl, shift, alt, enter, tab, escape, backspace, delete, arrows, f1 to f12, or one character)."));
                    display.Keyboard.Chord(keysyms);
                }
                if (action.Text("keys").Trim().Length == 0)
                    throw new GuiActionException("key: no key given.");
                break;
            case "wait":
                double ms = action.Number("ms");
                if (ms is < 0 or > 5000)
                    throw new GuiActionException($"wait: ms must be from 0 to 5000, got {ms}.");
                await Task.Delay(TimeSpan.FromMilliseconds(ms), cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new GuiActionException($"{action.Name} is not carried out on the screen.");
        }
    }
}
