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
    /// </summary>
    public static async Task<byte[]> SettleAsync(X11Connection x, TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        Stopwatch clock = Stopwatch.StartNew();
        byte[] last = Grab(x);
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

    /// <summary>A fingerprint of the screen that ignores small details: 16x16 blocks averaged, 3 bits per channel.</summary>
    public static string Fingerprint(byte[] bgrx, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(bgrx);
        const int Block = 16;
        int w = width / Block, h = height / Block;
        byte[] coarse = new byte[w * h * 3];
        for (int by = 0; by < h; by++)
            for (int bx = 0; bx < w; bx++)
            {
                int b = 0, g = 0, r = 0;
                // Every 4th pixel of the block both ways: enough to see what is there.
                for (int dy = 0; dy < Block; dy += 4)
                    for (int dx = 0; dx < Block; dx += 4)
                    {
                        int p = ((by * Block + dy) * width + bx * Block + dx) * 4;
                        b += bgrx[p];
                        g += bgrx[p + 1];
                        r += bgrx[p + 2];
                    }
                int o = (by * w + bx) * 3;
                coarse[o] = (byte)(r / 16 >> 5);
                coarse[o + 1] = (byte)(g / 16 >> 5);
                coarse[o + 2] = (byte)(b / 16 >> 5);
            }
        return Convert.ToHexStringLower(SHA256.HashData(coarse))[..16];
    }
}
