using PLaw.Registry.Accounts;
using PLaw.Web.Accounts;

namespace PLaw.Web.Components.Access;

/// <summary>Writes an audit entry in the name of whoever is using this circuit (the signed-in user, or <c>local</c>).</summary>
public static class CallerAudit
{
    public static async Task AuditAsync(this Caller caller, AuditLog log, string action, string subjectKind, int? subjectId, string detail)
    {
        var who = await caller.GetAsync();
        await log.WriteAsync(who.Name, action, subjectKind, subjectId, detail);
    }
}
