namespace FinancePortal.Application;

/// <summary>An upload's announced length, held to account while the content streams.</summary>
public static class DeclaredLength
{
    /// <summary>
    /// <paramref name="inner"/>, failing with a <see cref="ValidationFailedException"/> as soon as more bytes arrive
    /// than were announced, or when it ends with fewer (<paramref name="message"/> gets the announced and the received
    /// count). The services read a whole upload before they store anything, so a refused upload stores nothing.
    /// </summary>
    public static Stream Enforce(Stream inner, long declaredLength, Func<long, long, string> message)
    {
        void Check(long read, bool ended)
        {
            if (read > declaredLength || (ended && read != declaredLength))
            {
                throw new ValidationFailedException("File", message(declaredLength, read));
            }
        }

        return new CountingReadStream(inner, read => Check(read, ended: false), read => Check(read, ended: true));
    }
}
