package comment

import "slices"

// Actor is the staff member doing something in the admin panel or the admin
// API. Owners see every site; staff see the sites they were given.
type Actor struct {
	UserID  int64
	Name    string
	Owner   bool
	SiteIDs []int64
}

// CanSee reports whether the actor may see and act on a site.
func (a Actor) CanSee(siteID int64) bool {
	return a.Owner || slices.Contains(a.SiteIDs, siteID)
}

// Scope returns the site IDs a query for the actor is limited to: nil for an
// owner (every site), the given sites otherwise (possibly none at all).
func (a Actor) Scope() []int64 {
	if a.Owner {
		return nil
	}
	if a.SiteIDs == nil {
		return []int64{}
	}
	return a.SiteIDs
}

// notFound is what an actor learns of a comment outside their sites: the
// same as of a comment that does not exist.
func notFound() error { return Errorf(NotFound, "There is no such comment.") }

func ownerOnly() error { return Errorf(Forbidden, "Only an owner may do this.") }
