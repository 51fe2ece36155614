namespace KetaClinic.Domain.Monitoring;

/// <summary>
/// Look-ups in vital signs kept in time order (as a session keeps them): windows found by binary search and latest
/// values read from the end, so that the checks run on every board reload do not walk a long monitored session's
/// whole history. Each gives the same answer as the plain query over the window it names.
/// </summary>
public static class TimeOrderedVitals
{
    /// <summary>The index of the first observation at or after <paramref name="t"/> (the count when there is none).</summary>
    public static int FirstAtOrAfter(IReadOnlyList<VitalObservation> timeOrdered, DateTimeOffset t)
    {
        ArgumentNullException.ThrowIfNull(timeOrdered);
        int lo = 0, hi = timeOrdered.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (timeOrdered[mid].ObservedAt < t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The index of the first observation after <paramref name="t"/> (the count when there is none).</summary>
    public static int FirstAfter(IReadOnlyList<VitalObservation> timeOrdered, DateTimeOffset t)
    {
        ArgumentNullException.ThrowIfNull(timeOrdered);
        int lo = 0, hi = timeOrdered.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (timeOrdered[mid].ObservedAt <= t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The observations at indexes <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), in order.</summary>
    public static IEnumerable<VitalObservation> Range(IReadOnlyList<VitalObservation> timeOrdered, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(timeOrdered);
        for (var i = Math.Max(0, from); i < Math.Min(to, timeOrdered.Count); i++)
        {
            yield return timeOrdered[i];
        }
    }

    /// <summary>
    /// The latest observation of <paramref name="kind"/> in the index window, like <c>MaxBy(ObservedAt)</c> over it:
    /// of several at the same latest time, the first. Null when the window has none.
    /// </summary>
    public static VitalObservation? Latest(IReadOnlyList<VitalObservation> timeOrdered, VitalKind kind, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(timeOrdered);
        from = Math.Max(0, from);
        VitalObservation? found = null;
        for (var i = Math.Min(to, timeOrdered.Count) - 1; i >= from; i--)
        {
            var v = timeOrdered[i];
            if (found is not null && v.ObservedAt < found.ObservedAt)
            {
                break;
            }

            if (v.Kind == kind)
            {
                found = v;
            }
        }

        return found;
    }

    /// <summary>
    /// The latest paired blood pressure reading in the index window: the same as
    /// <see cref="BloodPressureReading.LatestFrom"/> over the window, found from its end.
    /// </summary>
    public static BloodPressureReading? LatestBloodPressure(IReadOnlyList<VitalObservation> timeOrdered, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(timeOrdered);
        from = Math.Max(0, from);
        var end = Math.Min(to, timeOrdered.Count);
        while (end > from)
        {
            // The observations sharing the latest time left in the window: a reading is a systolic and a diastolic
            // from one device at one time, and of several devices the one seen first wins (as in LatestFrom).
            var at = timeOrdered[end - 1].ObservedAt;
            var start = end - 1;
            while (start > from && timeOrdered[start - 1].ObservedAt == at)
            {
                start--;
            }

            var devices = new List<DeviceIdentity>();
            for (var i = start; i < end; i++)
            {
                var v = timeOrdered[i];
                if (v.Kind is VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure && !devices.Contains(v.Device))
                {
                    devices.Add(v.Device);
                }
            }

            foreach (var device in devices)
            {
                VitalObservation? systolic = null, diastolic = null;
                for (var i = start; i < end; i++)
                {
                    var v = timeOrdered[i];
                    if (v.Device == device)
                    {
                        if (v.Kind == VitalKind.SystolicBloodPressure)
                        {
                            systolic = v;
                        }
                        else if (v.Kind == VitalKind.DiastolicBloodPressure)
                        {
                            diastolic = v;
                        }
                    }
                }

                if (systolic is not null && diastolic is not null)
                {
                    return new BloodPressureReading(systolic.Value.Amount, diastolic.Value.Amount, at);
                }
            }

            end = start;
        }

        return null;
    }
}
