namespace Gym.Core.Tests;

/// <summary>Locations the tests need: the repository root and its interop scripts.</summary>
internal static class TestPaths
{
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

    public static string Interop => Path.Combine(Root, "tests", "interop");

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "gym-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
