using System.Reflection;
using Gym.Core;

namespace Gym.Cli.Tests;

/// <summary>Every error type Gym declares sits under <see cref="GymException"/>, so one catch and one exit-code mapping cover them.</summary>
[TestFixture]
public sealed class ErrorRootTests
{
    [Test]
    public void EveryPublicExceptionTypeOfGymDerivesFromGymException()
    {
        Assembly[] gym = [.. Directory.GetFiles(TestContext.CurrentContext.TestDirectory, "Gym.*.dll")
            .Where(f => !Path.GetFileName(f).Contains(".Tests", StringComparison.Ordinal))
            .Select(Assembly.LoadFrom)];
        Assert.That(gym.Select(a => a.GetName().Name), Does.Contain("Gym.Docker").And.Contain("Gym.Trainer").And.Contain("Gym.Envs.Web"));
        Type[] exceptions = [.. gym.SelectMany(a => a.GetExportedTypes()).Where(t => typeof(Exception).IsAssignableFrom(t))];
        Assert.That(exceptions, Has.Length.GreaterThanOrEqualTo(10));
        Assert.That(exceptions.Where(t => !typeof(GymException).IsAssignableFrom(t)).Select(t => t.FullName), Is.Empty);
    }
}
