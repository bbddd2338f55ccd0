package comment

// Node is a comment with its replies, as readers see a thread.
type Node struct {
	Comment
	Replies []*Node
}

// Visible reports whether readers see the comment itself.
func (c *Comment) Visible() bool { return c.Status == StatusApproved }

// Tree arranges a thread's comments (oldest first) into the tree readers see
// and counts the visible ones. A comment readers may not see is left out,
// unless it has visible replies: then it stays as a placeholder (its status
// tells why) with its text and author removed, so the replies keep their
// place. A comment whose parent is missing is shown at the top level.
func Tree(comments []Comment) (roots []*Node, visible int) {
	byID := make(map[int64]*Node, len(comments))
	nodes := make([]*Node, len(comments))
	for i := range comments {
		nodes[i] = &Node{Comment: comments[i]}
		byID[comments[i].ID] = nodes[i]
	}
	var all []*Node
	for _, n := range nodes {
		if p, ok := byID[n.ParentID]; ok && n.ParentID != 0 && n.ParentID != n.ID {
			p.Replies = append(p.Replies, n)
			continue
		}
		all = append(all, n)
	}
	for _, n := range all {
		if prune(n, &visible) {
			roots = append(roots, n)
		}
	}
	return roots, visible
}

// prune drops invisible leaves below n, blanks n if it is a placeholder, and
// reports whether n stays.
func prune(n *Node, visible *int) bool {
	kept := n.Replies[:0]
	for _, r := range n.Replies {
		if prune(r, visible) {
			kept = append(kept, r)
		}
	}
	n.Replies = kept
	if n.Visible() {
		*visible++
		return true
	}
	if len(kept) == 0 {
		return false
	}
	n.Comment = Comment{ID: n.ID, ThreadID: n.ThreadID, ParentID: n.ParentID, Status: n.placeholderStatus(), CreatedAt: n.CreatedAt}
	return true
}

// placeholderStatus is the status a placeholder shows: readers learn that a
// comment was removed, never that it was marked spam or is still held.
func (c *Comment) placeholderStatus() Status {
	if c.Status == StatusDeleted {
		return StatusDeleted
	}
	return StatusHidden
}
