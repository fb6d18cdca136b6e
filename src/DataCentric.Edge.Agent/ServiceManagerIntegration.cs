using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace DataCentric.Edge.Agent;

/// <summary>
/// Type=notify under systemd: READY=1 once every stage has started, STOPPING=1 on SIGTERM, and log
/// lines in systemd's format.
/// </summary>
internal static class ServiceManagerIntegration
{
    private const string NotifySocket = "NOTIFY_SOCKET";

    /// <summary>
    /// As <c>AddSystemd</c>, but a service is recognised by <c>NOTIFY_SOCKET</c> (how sd_notify itself
    /// decides) as well as by the library's test, which reads the parent's <c>/proc/PPID/comm</c>.
    /// The units' <c>ProtectProc=invisible</c> hides PID 1 from the service user, so under the system
    /// manager that test failed, READY=1 was never sent, and systemd killed the agent after
    /// TimeoutStartSec (tools/bench/Board/systemd-system-check.sh).
    /// </summary>
    public static IServiceCollection AddServiceManagerNotifications(this IServiceCollection services)
    {
        if (!SystemdHelpers.IsSystemdService() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(NotifySocket)))
        {
            return services;
        }

        services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Systemd);
        services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton<IHostLifetime, SystemdLifetime>();
        return services;
    }
}
