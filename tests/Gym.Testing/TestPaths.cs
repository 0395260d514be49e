using NUnit.Framework;

namespace Gym.Testing;

/// <summary>Locations the tests need: the repository root and its interop scripts.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder with Gym.sln above the test output).</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gym.sln")))
                    return dir.FullName;
            }
            throw new DirectoryNotFoundException("The repository root (with Gym.sln) is not above the test directory.");
        }
    }

    /// <summary>The interop scripts (python, node) the tests run beside ours.</summary>
    public static string Interop => Path.Combine(Root, "tests", "interop");

    /// <summary>A new empty directory under the system's temporary folder.</summary>
    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "gym-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
