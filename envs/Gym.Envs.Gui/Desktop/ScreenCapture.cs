using System.Diagnostics;
using System.Security.Cryptography;
using Gym.Envs.Gui.X11;

namespace Gym.Envs.Gui.Desktop;

/// <summary>Reads the screen from the X server: settled images, PNG screenshots, and a coarse fingerprint for state keys.</summary>
public static class ScreenCapture
{
    /// <summary>The whole screen as X's 32-bit pixels.</summary>
    public static byte[] Grab(X11Connection x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Image(0, 0, x.Width, x.Height);
    }

    /// <summary>
    /// Waits until the screen has not changed for <paramref name="quiet"/> (at most <paramref name="limit"/>) and returns
    /// the last image: applications redraw a little after an input event, and an observation mid-redraw misleads.
    /// With <paramref name="before"/> (the screen before an action), it first waits up to <paramref name="react"/> for
    /// the screen to change at all: a busy application may not have drawn anything yet when a quiet period passes.
    /// That wait ends early once <paramref name="idle"/> (whether the display's processes are all idle) has held for
    /// <see cref="IdleEnough"/> with the screen still unchanged: nothing is left to draw the action's answer.
    /// </summary>
    public static async Task<byte[]> SettleAsync(X11Connection x, TimeSpan quiet, TimeSpan limit, byte[]? before = null, TimeSpan react = default, Func<bool>? idle = null, CancellationToken cancellationToken = default)
    {
        Stopwatch clock = Stopwatch.StartNew();
        byte[] last = Grab(x);
        TimeSpan? idleSince = null;
        if (before is not null)
            while (last.AsSpan().SequenceEqual(before) && clock.Elapsed < react)
            {
                if (idleSince is { } since && clock.Elapsed - since >= IdleEnough)
                    break;
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
                // Idle first, then the screen: an application that went idle has drawn what it drew.
                bool nowIdle = idle?.Invoke() ?? false;
                idleSince = nowIdle ? idleSince ?? clock.Elapsed : null;
                last = Grab(x);
            }
        TimeSpan stableSince = clock.Elapsed;
        while (clock.Elapsed < limit)
        {
            await Task.Delay(quiet / 3 + TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
            byte[] next = Grab(x);
            if (next.AsSpan().SequenceEqual(last))
            {
                if (clock.Elapsed - stableSince >= quiet)
                    return next;
            }
            else
            {
                stableSince = clock.Elapsed;
            }
            last = next;
        }
        return last;
    }

    /// <summary>How long the display's processes must stay idle, the screen unchanged, before an action counts as answered by nothing.</summary>
    public static readonly TimeSpan IdleEnough = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// A fingerprint of the screen that keeps what is drawn but not its last shade: 8x8 blocks averaged, 4 bits per
    /// channel (a line of typed text changes it; the same screen captured again gives the same one).
    /// </summary>
    public static string Fingerprint(byte[] bgrx, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(bgrx);
        const int Block = 8;
        int w = width / Block, h = height / Block;
        byte[] coarse = new byte[w * h * 3];
        for (int by = 0; by < h; by++)
            for (int bx = 0; bx < w; bx++)
            {
                int b = 0, g = 0, r = 0;
                for (int dy = 0; dy < Block; dy++)
                {
                    int p = ((by * Block + dy) * width + bx * Block) * 4;
                    for (int dx = 0; dx < Block; dx++, p += 4)
                    {
                        b += bgrx[p];
                        g += bgrx[p + 1];
                        r += bgrx[p + 2];
                    }
                }
                int o = (by * w + bx) * 3;
                coarse[o] = (byte)(r / (Block * Block) >> 4);
                coarse[o + 1] = (byte)(g / (Block * Block) >> 4);
                coarse[o + 2] = (byte)(b / (Block * Block) >> 4);
            }
        return Convert.ToHexStringLower(SHA256.HashData(coarse))[..16];
    }
}
