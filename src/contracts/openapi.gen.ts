// Generated from /api/openapi.json by scripts/openapi-client.ts: do not edit by hand.
// `npx tsx scripts/openapi-client.ts` writes it again; a test fails while it is out of date.
/* eslint-disable */

export interface Schemas {
  ErrorBody: {
    error: {
      code: string;
      message: string;
      issues?: Array<{
        path: string;
        message: string;
      }>;
      currentState?: string;
      ids?: Array<string>;
    };
  };
  Me: {
    id: string;
    email: string;
    name: string;
    role: "admin" | "supervisor" | "agent";
    language: "pt-BR" | "en";
    agentEnabled: boolean;
    /** may read the access records (Acessos a dados, LGPD): admins always */
    privacyOfficer: boolean;
    /** teams the user works in as an agent */
    teamIds: Array<string>;
    /** teams the user supervises */
    supervisedTeamIds: Array<string>;
  };
  EndedSessions: {
    /** how many sessions were ended */
    ended: number;
  };
  User: {
    id: string;
    email: string;
    name: string;
    role: "admin" | "supervisor" | "agent";
    language: "pt-BR" | "en";
    /** linked as an omnichannel agent (Agentes → Vincular) */
    agentEnabled: boolean;
    /** Encarregado de dados (DPO): may read the access records (Acessos a dados, LGPD); admins always may */
    privacyOfficer: boolean;
    active: boolean;
    /** teams the user works in as an agent */
    teamIds: Array<string>;
    supervisedTeamIds: Array<string>;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    updatedAt: string;
  };
  Team: {
    id: string;
    name: string;
    /** linked as an omnichannel department (Departamentos → Vincular) */
    omniEnabled: boolean;
    /** maximum simultaneous chat/messaging conversations per agent */
    maxChat: number;
    /** maximum simultaneous e-mail conversations per agent */
    maxEmail: number;
    active: boolean;
    agentIds: Array<string>;
    supervisorIds: Array<string>;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    updatedAt: string;
  };
  ChannelAccount: {
    id: string;
    channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
    name: string;
    /** e.g. meta, twilio, zenvia; null for our own channels */
    provider: string | null;
    /** non-secret settings: phone number id, IMAP host… */
    config: {
      [key: string]: unknown;
    };
    /** credentials are write-only: stored encrypted, never returned */
    hasCredentials: boolean;
    /** the names of the credentials that are set (never their values) */
    credentialsSet: Array<string>;
    /** the services that talk through this account */
    serviceIds: Array<string>;
    /** where the provider calls: {PUBLIC_URL}/webhooks/{channel}/{id}; null without PUBLIC_URL or for a channel without webhooks */
    webhookUrl: string | null;
    active: boolean;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    updatedAt: string;
  };
  SavedChannelAccount: {
    id: string;
    channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
    name: string;
    /** e.g. meta, twilio, zenvia; null for our own channels */
    provider: string | null;
    /** non-secret settings: phone number id, IMAP host… */
    config: {
      [key: string]: unknown;
    };
    /** credentials are write-only: stored encrypted, never returned */
    hasCredentials: boolean;
    /** the names of the credentials that are set (never their values) */
    credentialsSet: Array<string>;
    /** the services that talk through this account */
    serviceIds: Array<string>;
    /** where the provider calls: {PUBLIC_URL}/webhooks/{channel}/{id}; null without PUBLIC_URL or for a channel without webhooks */
    webhookUrl: string | null;
    active: boolean;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    updatedAt: string;
    /** the account is saved; these need the admin's attention */
    warnings?: Array<{
      code: string;
      message: string;
    }>;
  };
  Service: {
    id: string;
    name: string;
    /** public key used by the WebChat widget and the API channel */
    key: string;
    channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
    channelAccountId: string | null;
    teamIds: Array<string>;
    botFlow: unknown;
    /** service-level target T (NS) */
    serviceLevelSeconds: number;
    /** TMA goal (Meta) */
    tmaGoalSeconds: number;
    botTimeoutSeconds: number;
    queueTimeoutSeconds: number;
    /** Inativa PA: customer silent with an agent */
    inactivityTimeoutSeconds: number;
    /** e-mail filter: a supervisor accepts or discards each e-mail */
    emailTriage: boolean;
    /** e-mail: plain text appended to every reply (after "-- ") */
    emailSignature: string | null;
    /** API channel: where agent messages are POSTed, signed as Standard Webhooks (docs/WEBHOOKS.md) */
    outboundWebhookUrl: string | null;
    /** API channel: a token for the inbound endpoint was issued */
    hasApiToken: boolean;
    /** null: always open */
    businessHours: {
      weekly: {
        sun?: Array<{
          start: string;
          end: string;
        }>;
        mon?: Array<{
          start: string;
          end: string;
        }>;
        tue?: Array<{
          start: string;
          end: string;
        }>;
        wed?: Array<{
          start: string;
          end: string;
        }>;
        thu?: Array<{
          start: string;
          end: string;
        }>;
        fri?: Array<{
          start: string;
          end: string;
        }>;
        sat?: Array<{
          start: string;
          end: string;
        }>;
      };
      holidays: Array<{
        date: string;
        name?: string;
      }>;
      closedMessage: string | null;
      outsideHours: "queue" | "leave_message";
    } | null;
    /** WebChat: fields asked before the chat; none required unless said */
    prechatForm: Array<{
      field: "name" | "email" | "phone" | "cpf";
      /** the SAC decree: by default no field blocks reaching an attendant */
      required: boolean;
    }>;
    /** when the customer answers an agent's outbound conversation: agent = it stays with that agent (to the queue if the agent is offline by then), queue = it goes to the queue */
    outboundReply: "agent" | "queue";
    /** the template (category type protocol_update) sent on protocolUpdateOn: {{1}} protocol, {{2}} service, {{3}} new state */
    protocolUpdateTemplateId: string | null;
    /** the state changes that send the protocol update */
    protocolUpdateOn: Array<"completed" | "cancelled" | "inactive_in_service" | "customer_gave_up" | "transferred">;
    /** WebChat: the customer may ask for an audio or video call (off by default; the agent may always call) */
    customerCalls: boolean;
    active: boolean;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    updatedAt: string;
  };
  PauseReason: {
    id: string;
    name: string;
    /** alert when a pause with this reason lasts longer */
    maxMinutes: number | null;
    productive: boolean;
    active: boolean;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    updatedAt: string;
  };
  Classification: {
    id: string;
    code: string;
    name: string;
    /** null: valid for every service */
    serviceIds: Array<string> | null;
    active: boolean;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    updatedAt: string;
  };
  TemplateCategory: {
    id: string;
    /** number used to classify and order */
    code: number;
    title: string;
    /** protocol_update = Atualização de protocolo, notification = Notificação, billing = Cobrança, satisfaction_survey = Pesquisa de satisfação, marketing = Marketing */
    type: "protocol_update" | "notification" | "billing" | "satisfaction_survey" | "marketing";
    active: boolean;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    updatedAt: string;
  };
  Template: {
    id: string;
    categoryId: string;
    name: string;
    /** null: any channel */
    channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api" | null;
    language: string;
    body: string;
    /** the provider template name (WhatsApp: lowercase letters, digits, underscore) */
    providerTemplate: string | null;
    /** the WhatsApp account (Cloud API or Gupshup) the template is submitted through */
    channelAccountId: string | null;
    providerCategory: "MARKETING" | "UTILITY" | "AUTHENTICATION" | null;
    header: string | null;
    footer: string | null;
    buttons: Array<{
      type: "QUICK_REPLY";
      text: string;
    } | {
      type: "URL";
      text: string;
      url: string;
    } | {
      type: "PHONE_NUMBER";
      text: string;
      phoneNumber: string;
    }>;
    /** an example value per {{n}} parameter, in order */
    examples: Array<string>;
    /** the provider's id of the submitted template */
    providerId: string | null;
    /** null: not a provider template (plain text on any channel, or named by hand) */
    status: "DRAFT" | "PENDING" | "APPROVED" | "REJECTED" | "PAUSED" | "DISABLED" | null;
    /** why the provider rejected, paused or disabled it */
    statusReason: string | null;
    /** the provider's quality score: GREEN, YELLOW, RED, UNKNOWN */
    quality: string | null;
    /** ISO 8601 date-time */
    statusAt: string | null;
    active: boolean;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    updatedAt: string;
  };
  Setting: {
    key: string;
    value: unknown;
    isDefault: boolean;
  };
  WrapupFieldList: {
    items: Array<{
      /** the value’s name in FinishBody.fields */
      key: string;
      label: string;
      type: "text" | "number" | "select" | "boolean";
      /** select only: the choices, in order */
      options?: Array<string>;
      /** Concluir is refused without a value (Cancelar does not ask) */
      required: boolean;
      position: number;
    }>;
  };
  ConversationView: {
    id: string;
    protocol: string;
    serviceId: string;
    channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
    contactId: string;
    contactName: string | null;
    direction: "inbound" | "outbound";
    state: "triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded";
    priority: "manual" | "returned" | "normal";
    agentId: string | null;
    preferredAgentId: string | null;
    subject: string | null;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    botStartedAt: string | null;
    /** ISO 8601 date-time */
    botEndedAt: string | null;
    /** ISO 8601 date-time */
    queuedAt: string | null;
    /** ISO 8601 date-time */
    firstQueuedAt: string | null;
    /** ISO 8601 date-time */
    assignedAt: string | null;
    /** ISO 8601 date-time */
    firstAssignedAt: string | null;
    /** ISO 8601 date-time */
    firstAgentMessageAt: string | null;
    /** ISO 8601 date-time */
    lastCustomerMessageAt: string | null;
    /** ISO 8601 date-time */
    lastAgentMessageAt: string | null;
    /** ISO 8601 date-time */
    lastMessageAt: string | null;
    lastMessageFrom: "customer" | "agent" | "bot" | "system" | null;
    /** ISO 8601 date-time */
    finishedAt: string | null;
    finishedBy: "customer" | "agent" | "supervisor" | "bot" | "system" | null;
    classificationId: string | null;
    wrapup: {
      [key: string]: unknown;
    } | null;
    notes: string | null;
    transferCount: number;
    window?: {
      hours: number;
      /** ISO 8601 date-time */
      closesAt: string | null;
    } | null;
  };
  MessageView: {
    id: number;
    conversationId: string;
    authorType: "customer" | "agent" | "bot" | "system";
    authorId: string | null;
    authorName: string | null;
    body: string;
    contentType: string;
    attachments: Array<unknown> | null;
    deliveryStatus: "pending" | "sent" | "delivered" | "read" | "failed" | null;
    deliveryError?: {
      code: string | null;
      message: string;
    } | null;
    payload?: {
      [key: string]: unknown;
    } | null;
    externalId?: string | null;
    /** ISO 8601 date-time */
    createdAt: string;
  };
  WhisperView: {
    id: number;
    conversationId: string;
    agentId: string;
    authorId: string;
    authorName: string;
    body: string;
    /** ISO 8601 date-time */
    createdAt: string;
    /** ISO 8601 date-time */
    readAt: string | null;
  };
  AgentView: {
    id: string;
    name: string;
    teamIds: Array<string>;
    presence: "offline" | "available" | "paused" | "in_service";
    state: "offline" | "available" | "paused" | "in_service";
    pauseReasonId: string | null;
    pendingPauseReasonId: string | null;
    /** ISO 8601 date-time */
    stateSince: string;
    /** ISO 8601 date-time */
    loggedInAt: string | null;
    openChat: number;
    openEmail: number;
    /** ISO 8601 date-time */
    lastAssignedAt: string | null;
    connected: boolean;
    inCall: boolean;
    enabled: boolean;
  };
  ConversationPage: {
    rows: Array<{
      id: string;
      protocol: string;
      serviceId: string;
      serviceName: string;
      channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      contactName: string | null;
      direction: "inbound" | "outbound";
      state: "triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded";
      agentId: string | null;
      agentName: string | null;
      subject: string | null;
      /** ISO 8601 date-time */
      createdAt: string;
      /** ISO 8601 date-time */
      assignedAt: string | null;
      /** ISO 8601 date-time */
      finishedAt: string | null;
      classificationId: string | null;
    }>;
    /** cursor of the next page; null on the last */
    next: string | null;
    /** rows the filter selects (first page only) */
    total?: number;
  };
}

export interface Operations {
  /** DELETE /api/auth/sessions/{id}: End one of my sessions (its sockets close); another user’s session is 404 */
  deleteAuthSessionsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: void;
  };
  /** DELETE /api/channel-accounts/{id}: Deactivate one of channel-accounts (kept for history) */
  deleteChannelAccountsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["ChannelAccount"];
  };
  /** DELETE /api/classifications/{id}: Deactivate one of classifications (kept for history) */
  deleteClassificationsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Classification"];
  };
  /** DELETE /api/pause-reasons/{id}: Deactivate one of pause-reasons (kept for history) */
  deletePauseReasonsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["PauseReason"];
  };
  /** DELETE /api/report-schedules/{id}: Delete a report schedule (audited) */
  deleteReportSchedulesById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: void;
  };
  /** DELETE /api/services/{id}: Deactivate one of services (kept for history) */
  deleteServicesById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Service"];
  };
  /** DELETE /api/settings/{key}: Restore the default of one parameter */
  deleteSettingsByKey: {
    params: {
      key: "timezone" | "companyName" | "timeInState" | "noInteractionMinutes" | "shortAbandonSeconds" | "serviceLevel" | "timeouts" | "alerts" | "allowPrivateWebhookTargets" | "retention" | "optOut";
    };
    query: never;
    body: never;
    response: Schemas["Setting"];
  };
  /** DELETE /api/teams/{id}: Deactivate one of teams (kept for history) */
  deleteTeamsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Team"];
  };
  /** DELETE /api/template-categories/{id}: Deactivate one of template-categories (kept for history) */
  deleteTemplateCategoriesById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["TemplateCategory"];
  };
  /** DELETE /api/templates/{id}: Deactivate one of templates (kept for history) */
  deleteTemplatesById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Template"];
  };
  /** DELETE /api/users/{id}: Deactivate one of users (kept for history) */
  deleteUsersById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["User"];
  };
  /** GET /api/agent/contacts: The desk's contact search for an outbound conversation: by name, e-mail, phone or protocol, among the contacts of the caller's own conversations (a supervisor's: their services'; an admin's: all) */
  getAgentContacts: {
    params: never;
    query: {
      q: string;
      limit?: number;
    };
    body: never;
    response: {
      items: Array<{
        id: string;
        name: string | null;
        email: string | null;
        phone: string | null;
        cpf: string | null;
        /** in the caller’s scope */
        conversations: number;
        /** ISO 8601 date-time */
        lastContactAt: string | null;
        /** ISO 8601 date-time */
        anonymizedAt: string | null;
      }>;
      /** more contacts match: narrow the search */
      more: boolean;
    };
  };
  /** GET /api/agent/presence: My presence as an agent */
  getAgentPresence: {
    params: never;
    query: never;
    body: never;
    response: Schemas["AgentView"];
  };
  /** GET /api/alerts: The alert inbox of a day (default today), newest first, with my read marks */
  getAlerts: {
    params: never;
    query: {
      date?: string;
      unread?: "true" | "false";
    };
    body: never;
    response: {
      items: Array<{
        id: number;
        rule: "agent_paused_too_long" | "queue_wait_over_target" | "no_interaction" | "long_service" | "queue_too_long" | "service_level_below_target" | "wallet_balance_low" | "number_quality_dropped";
        severity: "info" | "warning" | "critical";
        subjectType: "agent" | "conversation" | "service";
        subjectId: string;
        serviceId: string | null;
        teamIds: Array<string>;
        /** pt-BR text; payload has the figures */
        message: string;
        payload: {
          [key: string]: unknown;
        };
        createdAt: string;
        /** when the condition stopped; the alert stays for the day’s review */
        resolvedAt: string | null;
        /** read by me */
        read: boolean;
      }>;
      unread: number;
    };
  };
  /** GET /api/analysis/agents: Atendentes: per agent, in service now and finished (completed, cancelled, other) in the period; default today; CSV and XLSX exports */
  getAnalysisAgents: {
    params: never;
    query: {
      from?: string;
      to?: string;
      serviceIds?: Array<string>;
      format?: "csv" | "xlsx";
    };
    body: never;
    response: {
      from: string;
      to: string;
      timezone: string;
      /** ISO 8601 date-time */
      generatedAt: string;
      rows: Array<{
        /** Em atendimento: conversations the agent holds now (state in_service), whatever the period */
        inService: number;
        /** Concluídos: conversations the agent had last that ended as completed within the period (by finished_at) */
        completed: number;
        /** Cancelados: as completed, ended as cancelled */
        cancelled: number;
        /** ended with the agent within the period in another way: connection lost, customer inactive */
        otherFinished: number;
        /** TMA: mean of finished_at − assigned_at (the agent’s own assignment) over all of the above finished in the period */
        tmaSeconds: number | null;
        agentId: string;
        name: string;
        state: "offline" | "available" | "paused" | "in_service";
        pauseReasonId: string | null;
        pendingPauseReasonId: string | null;
        /** ISO 8601 date-time */
        stateSince: string;
        connected: boolean;
        enabled: boolean;
      }>;
      totals: {
        /** Em atendimento: conversations the agent holds now (state in_service), whatever the period */
        inService: number;
        /** Concluídos: conversations the agent had last that ended as completed within the period (by finished_at) */
        completed: number;
        /** Cancelados: as completed, ended as cancelled */
        cancelled: number;
        /** ended with the agent within the period in another way: connection lost, customer inactive */
        otherFinished: number;
        /** TMA: mean of finished_at − assigned_at (the agent’s own assignment) over all of the above finished in the period */
        tmaSeconds: number | null;
      };
    };
  };
  /** GET /api/analysis/agents/{id}/conversations: The conversations behind an agent’s row: those held now, then those ended in the period (keyset pages) */
  getAnalysisAgentsByIdConversations: {
    params: {
      id: string;
    };
    query: {
      from?: string;
      to?: string;
      serviceIds?: Array<string>;
      after?: string;
      limit?: number;
    };
    body: never;
    response: Schemas["ConversationPage"];
  };
  /** GET /api/analysis/outbound: Mensagens ativas: the outbound conversations, with the conversation filter, newest first (keyset pages); CSV and XLSX exports */
  getAnalysisOutbound: {
    params: never;
    query: {
      from?: string;
      to?: string;
      serviceIds?: Array<string>;
      channels?: Array<"webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api">;
      states?: Array<"triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded">;
      agentIds?: Array<string>;
      classificationIds?: Array<string>;
      protocol?: string;
      origin?: string;
      text?: string;
      family?: "chat" | "email" | "messaging";
      after?: string;
      limit?: number;
      format?: "csv" | "xlsx";
    };
    body: never;
    response: Schemas["ConversationPage"];
  };
  /** GET /api/analysis/queue: Fila: what waits for an agent, per department, and why (its agents logged in, paused, at their limit); CSV and XLSX exports */
  getAnalysisQueue: {
    params: never;
    query: {
      serviceIds?: Array<string>;
      format?: "csv" | "xlsx";
    };
    body: never;
    response: {
      /** ISO 8601 date-time */
      generatedAt: string;
      waiting: number;
      departments: Array<{
        /** null: services with no department */
        teamId: string | null;
        name: string | null;
        agents: {
          linked: number;
          loggedIn: number;
        };
        /** one per kind of conversation waiting here */
        reasons: Array<{
          /** the limit that applies: chat and messaging, or e-mail */
          kind: "chat" | "email";
          code: "no_department" | "department_inactive" | "no_agents" | "none_logged_in" | "all_paused" | "all_at_limit" | "at_limit_or_paused" | "free_slots";
          /** the department’s maximum per agent for this kind */
          limit: number | null;
          loggedIn: number;
          /** logged in, paused or with a pause pending */
          paused: number;
          /** logged in, not paused, open conversations ≥ the limit */
          atLimit: number;
          /** logged in, not paused, below the limit */
          free: number;
        }>;
        waiting: number;
        /** the services of this department with someone waiting */
        serviceIds: Array<string>;
        /** the longest waits first, at most 200 */
        rows: Array<{
          id: string;
          protocol: string;
          contactName: string | null;
          channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
          serviceId: string;
          serviceName: string;
          /** entry into the current queue: the wait ticks from here */
          queuedAt: string;
          /** ISO 8601 date-time */
          firstQueuedAt: string | null;
          /** place in the service’s line (routing order: priority, then oldest) */
          position: number;
          priority: "manual" | "returned" | "normal";
          /** a supervisor’s allocation: waits for this agent alone */
          preferredAgentName: string | null;
          outsideHours: boolean;
        }>;
      }>;
    };
  };
  /** GET /api/attachments/{id}: A file sent in a conversation: for its agent, its supervisors and admins */
  getAttachmentsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: unknown;
  };
  /** GET /api/audit: The audit log, newest first */
  getAudit: {
    params: never;
    query: {
      entity?: string;
      entityId?: string;
      actorId?: string;
      from?: string;
      to?: string;
      before?: number;
      limit?: number;
    };
    body: never;
    response: {
      items: Array<{
        id: number;
        actorId: string | null;
        actorName: string | null;
        action: string;
        entity: string;
        entityId: string | null;
        before: unknown;
        after: unknown;
        ip: string | null;
        /** ISO 8601 date-time */
        at: string;
      }>;
      nextCursor: number | null;
    };
  };
  /** GET /api/auth/me: The signed-in user */
  getAuthMe: {
    params: never;
    query: never;
    body: never;
    response: Schemas["Me"];
  };
  /** GET /api/auth/sessions: My open sessions, this one marked `current` */
  getAuthSessions: {
    params: never;
    query: never;
    body: never;
    response: {
      items: Array<{
        /** public id of the session (not its token) */
        id: string;
        /** ISO 8601 date-time */
        createdAt: string;
        /** last request, to the minute */
        lastSeenAt: string;
        /** ISO 8601 date-time */
        expiresAt: string;
        /** the IP it signed in from */
        ip: string | null;
        /** the browser it signed in with, as it named itself */
        userAgent: string | null;
        /** the session of this request */
        current: boolean;
      }>;
    };
  };
  /** GET /api/campaigns: Campaigns, newest first (supervisors: those of the services they supervise) */
  getCampaigns: {
    params: never;
    query: {
      cursor?: string;
      limit?: number;
    };
    body: never;
    response: {
      rows: Array<{
        id: string;
        name: string;
        templateId: string;
        templateName: string;
        serviceId: string;
        serviceName: string;
        channelAccountId: string;
        window: {
          from: string;
          to: string;
        };
        /** not before this time */
        startAt: string;
        status: "scheduled" | "running" | "paused" | "finished" | "cancelled";
        ratePerSecond: number;
        counts: {
          total: number;
          queued: number;
          sent: number;
          delivered: number;
          read: number;
          failed: number;
          answered: number;
          skipped: number;
        };
        createdBy: string;
        createdByName: string;
        /** ISO 8601 date-time */
        createdAt: string;
        /** ISO 8601 date-time */
        finishedAt: string | null;
      }>;
      next: string | null;
    };
  };
  /** GET /api/campaigns/{id}: One campaign with its progress */
  getCampaignsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      id: string;
      name: string;
      templateId: string;
      templateName: string;
      serviceId: string;
      serviceName: string;
      channelAccountId: string;
      window: {
        from: string;
        to: string;
      };
      /** not before this time */
      startAt: string;
      status: "scheduled" | "running" | "paused" | "finished" | "cancelled";
      ratePerSecond: number;
      counts: {
        total: number;
        queued: number;
        sent: number;
        delivered: number;
        read: number;
        failed: number;
        answered: number;
        skipped: number;
      };
      createdBy: string;
      createdByName: string;
      /** ISO 8601 date-time */
      createdAt: string;
      /** ISO 8601 date-time */
      finishedAt: string | null;
    };
  };
  /** GET /api/campaigns/{id}/recipients: A campaign’s rows in line order, of one status or all, with the reason of each skipped or failed one; format=csv|xlsx downloads them all */
  getCampaignsByIdRecipients: {
    params: {
      id: string;
    };
    query: {
      status?: "queued" | "sent" | "delivered" | "read" | "failed" | "answered" | "skipped";
      cursor?: string;
      limit?: number;
      format?: "csv" | "xlsx";
    };
    body: never;
    response: {
      rows: Array<{
        id: string;
        line: number;
        phone: string;
        name: string | null;
        parameters: Array<string>;
        status: "queued" | "sent" | "delivered" | "read" | "failed" | "answered" | "skipped";
        /** why it failed or was skipped, in the request language */
        reason: string | null;
        /** ISO 8601 date-time */
        sentAt: string | null;
        /** ISO 8601 date-time */
        deliveredAt: string | null;
        /** ISO 8601 date-time */
        readAt: string | null;
        /** ISO 8601 date-time */
        answeredAt: string | null;
        /** the conversation the answer opened */
        conversationId: string | null;
      }>;
      next: string | null;
      total?: number;
    };
  };
  /** GET /api/channel-accounts: List channel-accounts */
  getChannelAccounts: {
    params: never;
    query: {
      q?: string;
      active?: "true" | "false";
    };
    body: never;
    response: {
      items: Array<Schemas["ChannelAccount"]>;
    };
  };
  /** GET /api/channel-accounts/{id}: Read one of channel-accounts */
  getChannelAccountsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["ChannelAccount"];
  };
  /** GET /api/charts/channels: Atendimento por Canais – Detalhada: per interval and channel, received, handled by an agent, finished by outcome */
  getChartsChannels: {
    params: never;
    query: {
      from?: string;
      to?: string;
      serviceId?: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      format?: "csv";
      interval?: "15m" | "30m" | "hour" | "day" | "week" | "month";
    };
    body: never;
    response: {
      from: string;
      to: string;
      timezone: string;
      generatedAt: string;
      interval: "15m" | "30m" | "hour" | "day" | "week" | "month";
      /** every interval of the period, in order (empty ones included) */
      buckets: Array<string>;
      /** the channels with traffic in the period, in order */
      channels: Array<"webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api">;
      /** one per interval and channel with traffic */
      rows: Array<{
        /** the interval’s local start, `YYYY-MM-DD HH:MM:SS` in the contact center’s time zone */
        bucket: string;
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        /** conversations created in the interval */
        received: number;
        /** conversations first assigned to an agent in the interval */
        handled: number;
        /** conversations finished in the interval, by outcome */
        finished: {
          completed: number;
          cancelled: number;
          abandoned: number;
          customer_gave_up: number;
          connection_lost: number;
          inactive_in_service: number;
          discarded: number;
          [key: string]: number;
        };
      }>;
    };
  };
  /** GET /api/charts/metrics: Métricas do Atendimento: atendidos, TME, TMA, TPR, NS and abandonment over the period, for all and each agent asked */
  getChartsMetrics: {
    params: never;
    query: {
      from?: string;
      to?: string;
      serviceId?: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      format?: "csv";
      agentId?: Array<string>;
    };
    body: never;
    response: {
      from: string;
      to: string;
      timezone: string;
      generatedAt: string;
      /** the whole first, then each agent asked */
      series: Array<{
        /** null: every conversation in the filter (Todos) */
        agentId: string | null;
        name: string;
        figures: {
          /** Ofertados: first queued in the period */
          offered: number;
          /** Atendidos: first assigned to an agent in the period */
          answered: number;
          /** answered within the service’s NS target */
          answeredInTarget: number;
          /** Abandonos: left the queue unanswered (counted for the whole, never for an agent) */
          abandoned: number;
          shortAbandoned: number;
          /** finished in the period after an agent handled them (TMA’s count) */
          handled: number;
          /** first agent message in the period (TPR’s count) */
          responded: number;
          /** NS %: answered in target ÷ (answered + abandoned − short abandons) × 100, one decimal */
          serviceLevel: number | null;
          /** TME: mean of first assigned − first queued over the answered */
          tmeSeconds: number | null;
          /** TMA: mean of finished − first assigned over the handled */
          tmaSeconds: number | null;
          /** TPR: mean of first agent message − first queued */
          tprSeconds: number | null;
          /** abandoned ÷ offered × 100, one decimal (null for an agent) */
          abandonmentRate: number | null;
        };
      }>;
    };
  };
  /** GET /api/charts/metrics/detailed: Métricas do Atendimento – Detalhada: the same figures per interval */
  getChartsMetricsDetailed: {
    params: never;
    query: {
      from?: string;
      to?: string;
      serviceId?: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      format?: "csv";
      interval?: "15m" | "30m" | "hour" | "day" | "week" | "month";
      agentId?: Array<string>;
    };
    body: never;
    response: {
      from: string;
      to: string;
      timezone: string;
      generatedAt: string;
      interval: "15m" | "30m" | "hour" | "day" | "week" | "month";
      buckets: Array<string>;
      series: Array<{
        /** null: every conversation in the filter (Todos) */
        agentId: string | null;
        name: string;
        /** one per bucket, in the buckets’ order */
        points: Array<{
          /** Ofertados: first queued in the period */
          offered: number;
          /** Atendidos: first assigned to an agent in the period */
          answered: number;
          /** answered within the service’s NS target */
          answeredInTarget: number;
          /** Abandonos: left the queue unanswered (counted for the whole, never for an agent) */
          abandoned: number;
          shortAbandoned: number;
          /** finished in the period after an agent handled them (TMA’s count) */
          handled: number;
          /** first agent message in the period (TPR’s count) */
          responded: number;
          /** NS %: answered in target ÷ (answered + abandoned − short abandons) × 100, one decimal */
          serviceLevel: number | null;
          /** TME: mean of first assigned − first queued over the answered */
          tmeSeconds: number | null;
          /** TMA: mean of finished − first assigned over the handled */
          tmaSeconds: number | null;
          /** TPR: mean of first agent message − first queued */
          tprSeconds: number | null;
          /** abandoned ÷ offered × 100, one decimal (null for an agent) */
          abandonmentRate: number | null;
        }>;
      }>;
    };
  };
  /** GET /api/classifications: List classifications */
  getClassifications: {
    params: never;
    query: {
      q?: string;
      active?: "true" | "false";
    };
    body: never;
    response: {
      items: Array<Schemas["Classification"]>;
    };
  };
  /** GET /api/classifications/{id}: Read one of classifications */
  getClassificationsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Classification"];
  };
  /** GET /api/contacts: Titulares: contacts by name, e-mail, phone, CPF, channel handle or protocol */
  getContacts: {
    params: never;
    query: {
      q: string;
      limit?: number;
    };
    body: never;
    response: {
      items: Array<{
        id: string;
        name: string | null;
        email: string | null;
        phone: string | null;
        cpf: string | null;
        /** in the caller’s scope */
        conversations: number;
        /** ISO 8601 date-time */
        lastContactAt: string | null;
        /** ISO 8601 date-time */
        anonymizedAt: string | null;
      }>;
      /** more contacts match: narrow the search */
      more: boolean;
    };
  };
  /** GET /api/contacts/{id}: What Mirante holds on a person (LGPD art. 18): data, identities per channel, conversations */
  getContactsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      id: string;
      name: string | null;
      email: string | null;
      phone: string | null;
      cpf: string | null;
      /** in the caller’s scope */
      conversations: number;
      /** ISO 8601 date-time */
      lastContactAt: string | null;
      /** ISO 8601 date-time */
      anonymizedAt: string | null;
      /** what the bot or the pre-chat form collected */
      data: {
        [key: string]: unknown;
      };
      identities: Array<{
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        externalId: string;
        displayName: string | null;
        /** ISO 8601 date-time */
        createdAt: string;
      }>;
      /** ISO 8601 date-time */
      firstContactAt: string | null;
      /** ISO 8601 date-time */
      createdAt: string;
      /** the latest 200 in the caller’s scope; the history export has them all */
      recentConversations: Array<{
        id: string;
        protocol: string;
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        serviceName: string;
        state: string;
        subject: string | null;
        agentName: string | null;
        /** ISO 8601 date-time */
        createdAt: string;
        /** ISO 8601 date-time */
        finishedAt: string | null;
      }>;
    };
  };
  /** GET /api/contacts/{id}/history: The consumer’s history (SAC decree art. 13): every conversation, its states and messages, as JSON or PDF; audited */
  getContactsByIdHistory: {
    params: {
      id: string;
    };
    query: {
      format?: "json" | "pdf";
    };
    body: never;
    response: unknown;
  };
  /** GET /api/conversations: Conversations I may see (default: open ones; with `protocol` and no `state`, in any state) */
  getConversations: {
    params: never;
    query: {
      state?: "open" | "triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded";
      serviceId?: string;
      agentId?: string;
      protocol?: string;
      mine?: "true" | "false";
      limit?: number;
    };
    body: never;
    response: {
      items: Array<Schemas["ConversationView"]>;
    };
  };
  /** GET /api/conversations/{id}: A conversation with its history and supervisor chat */
  getConversationsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      conversation: Schemas["ConversationView"];
      messages: Array<Schemas["MessageView"]>;
      whispers: Array<Schemas["WhisperView"]>;
    };
  };
  /** GET /api/conversations/{id}/calls: Its WebChat calls, oldest first, with T.Audio and T.Video (the Ficha de Atendimento) */
  getConversationsByIdCalls: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      calls: Array<{
        id: string;
        conversationId: string;
        kind: "audio" | "video";
        video: boolean;
        state: "ringing" | "active" | "ended" | "missed" | "declined" | "failed";
        caller: "agent" | "customer";
        agentId: string | null;
        ringAt: string;
        answeredAt: string | null;
        endedAt: string | null;
        endedBy: "agent" | "customer" | "system" | null;
        failure: "permission_denied" | "no_device" | "connection_failed" | "unsupported" | "busy" | "disconnected" | null;
        audioSeconds: number;
        videoSeconds: number;
        /** the agent in the call (who called, or who was called); null for none */
        agentName: string | null;
      }>;
      /** T.Audio: answered seconds of its calls that are over while audio only (as Consultas and Atendimentos OMNI); null when none was answered */
      audioSeconds: number | null;
      /** T.Video: the same while carrying video */
      videoSeconds: number | null;
    };
  };
  /** GET /api/conversations/{id}/contact/opt-out: Whether the conversation's contact opted out of active messages, when, why and by whom */
  getConversationsByIdContactOptOut: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      contactId: string;
      optedOut: boolean;
      optedOutAt: string | null;
      /** "customer: SAIR" when the customer wrote the word; the agent's reason otherwise */
      reason: string | null;
      /** the agent who marked it; null when the customer asked */
      byUserId: string | null;
      byUserName: string | null;
    };
  };
  /** GET /api/conversations/{id}/transfer-targets: Agents (of the service’s teams) and services (same channel) this conversation can go to */
  getConversationsByIdTransferTargets: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      agents: Array<{
        id: string;
        name: string;
        state: "offline" | "available" | "paused" | "in_service";
        open: number;
      }>;
      services: Array<{
        id: string;
        name: string;
      }>;
    };
  };
  /** GET /api/email-triage: Filtro de E-mail: the e-mails waiting in the filter, oldest first (Qtd E-mail(s) is `limit`) */
  getEmailTriage: {
    params: never;
    query: {
      serviceId?: string;
      limit?: number;
    };
    body: never;
    response: {
      items: Array<{
        id: string;
        protocol: string;
        /** ISO 8601 date-time */
        receivedAt: string;
        fromName: string | null;
        fromAddress: string | null;
        subject: string | null;
        serviceId: string;
        serviceName: string;
        attachments: number;
        preview: string;
      }>;
      total: number;
    };
  };
  /** GET /healthz: Liveness and readiness: 200 while the database answers, 503 when it does not or the node is shutting down */
  getHealthz: {
    params: never;
    query: never;
    body: never;
    response: {
      status: "ok";
    };
  };
  /** GET /api/indicators: Indicadores: Resumo por Serviço, por Canal, Produtividade de Agentes, Resumo por Status, Resumo do dia over the conversations ended in the period (default today) */
  getIndicators: {
    params: never;
    query: {
      from?: string;
      to?: string;
      serviceId?: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      format?: "csv" | "xlsx";
      table?: "byService" | "byChannel" | "byAgent" | "byStatus" | "daySummary";
    };
    body: never;
    response: {
      from: string;
      to: string;
      timezone: string;
      /** ISO 8601 date-time */
      generatedAt: string;
      byService: {
        rows: Array<{
          /** QtdAtend: conversations that ended in the period after an agent handled them */
          count: number;
          /** DurTotal: the sum of their handling times (finished_at − assignment) */
          totalSeconds: number | null;
          /** DurMedia: DurTotal ÷ QtdAtend (weighted by conversation) */
          meanSeconds: number | null;
          /** DurMaxim: the longest handling time among them */
          maxSeconds: number | null;
          /** TMídia: the answered seconds of the WebChat calls (audio + video, T.Audio + T.Video) of the conversations of the row that ended in the period (0 when none); the seed’s “tempo de mídia (Ligação/Vídeo)”, which it gives as DurMedia’s description */
          mediaSeconds: number;
          /** the service’s or agent’s id, or the channel */
          key: string;
          /** Nome */
          name: string;
          /** PctQtd: QtdAtend ÷ the table’s QtdAtend × 100, two decimals */
          pct: number;
        }>;
        total: {
          /** QtdAtend: conversations that ended in the period after an agent handled them */
          count: number;
          /** DurTotal: the sum of their handling times (finished_at − assignment) */
          totalSeconds: number | null;
          /** DurMedia: DurTotal ÷ QtdAtend (weighted by conversation) */
          meanSeconds: number | null;
          /** DurMaxim: the longest handling time among them */
          maxSeconds: number | null;
          /** TMídia: the answered seconds of the WebChat calls (audio + video, T.Audio + T.Video) of the conversations of the row that ended in the period (0 when none); the seed’s “tempo de mídia (Ligação/Vídeo)”, which it gives as DurMedia’s description */
          mediaSeconds: number;
        };
      };
      byChannel: {
        rows: Array<{
          /** QtdAtend: conversations that ended in the period after an agent handled them */
          count: number;
          /** DurTotal: the sum of their handling times (finished_at − assignment) */
          totalSeconds: number | null;
          /** DurMedia: DurTotal ÷ QtdAtend (weighted by conversation) */
          meanSeconds: number | null;
          /** DurMaxim: the longest handling time among them */
          maxSeconds: number | null;
          /** TMídia: the answered seconds of the WebChat calls (audio + video, T.Audio + T.Video) of the conversations of the row that ended in the period (0 when none); the seed’s “tempo de mídia (Ligação/Vídeo)”, which it gives as DurMedia’s description */
          mediaSeconds: number;
          /** the service’s or agent’s id, or the channel */
          key: string;
          /** Nome */
          name: string;
          /** PctQtd: QtdAtend ÷ the table’s QtdAtend × 100, two decimals */
          pct: number;
        }>;
        total: {
          /** QtdAtend: conversations that ended in the period after an agent handled them */
          count: number;
          /** DurTotal: the sum of their handling times (finished_at − assignment) */
          totalSeconds: number | null;
          /** DurMedia: DurTotal ÷ QtdAtend (weighted by conversation) */
          meanSeconds: number | null;
          /** DurMaxim: the longest handling time among them */
          maxSeconds: number | null;
          /** TMídia: the answered seconds of the WebChat calls (audio + video, T.Audio + T.Video) of the conversations of the row that ended in the period (0 when none); the seed’s “tempo de mídia (Ligação/Vídeo)”, which it gives as DurMedia’s description */
          mediaSeconds: number;
        };
      };
      byAgent: {
        rows: Array<{
          /** QtdAtend: conversations that ended in the period after an agent handled them */
          count: number;
          /** DurTotal: the sum of their handling times (finished_at − assignment) */
          totalSeconds: number | null;
          /** DurMedia: DurTotal ÷ QtdAtend (weighted by conversation) */
          meanSeconds: number | null;
          /** DurMaxim: the longest handling time among them */
          maxSeconds: number | null;
          /** TMídia: the answered seconds of the WebChat calls (audio + video, T.Audio + T.Video) of the conversations of the row that ended in the period (0 when none); the seed’s “tempo de mídia (Ligação/Vídeo)”, which it gives as DurMedia’s description */
          mediaSeconds: number;
          /** the service’s or agent’s id, or the channel */
          key: string;
          /** Nome */
          name: string;
          /** PctQtd: QtdAtend ÷ the table’s QtdAtend × 100, two decimals */
          pct: number;
        }>;
        total: {
          /** QtdAtend: conversations that ended in the period after an agent handled them */
          count: number;
          /** DurTotal: the sum of their handling times (finished_at − assignment) */
          totalSeconds: number | null;
          /** DurMedia: DurTotal ÷ QtdAtend (weighted by conversation) */
          meanSeconds: number | null;
          /** DurMaxim: the longest handling time among them */
          maxSeconds: number | null;
          /** TMídia: the answered seconds of the WebChat calls (audio + video, T.Audio + T.Video) of the conversations of the row that ended in the period (0 when none); the seed’s “tempo de mídia (Ligação/Vídeo)”, which it gives as DurMedia’s description */
          mediaSeconds: number;
        };
      };
      byStatus: {
        rows: Array<{
          /** ES: inbound (Entrada, Receptivo: the customer wrote first) or outbound (Saída, Ativo) */
          direction: "inbound" | "outbound";
          /** Situação: the end state (reference/metrics.md) */
          state: "triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded";
          /** TotalSit: conversations of this direction that ended in this state in the period */
          count: number;
          /** Pct: TotalSit ÷ all conversations ended in the period × 100, two decimals */
          pct: number;
          channels: {
            webchat: number;
            email: number;
            facebook: number;
            instagram: number;
            sms: number;
            voice: number;
            whatsapp: number;
            other: number;
            [key: string]: number;
          };
        }>;
        /** conversations ended in the period */
        total: number;
      };
      daySummary: Array<{
        /** Tipo: Receptivo (inbound) or Ativo (outbound) */
        direction: "inbound" | "outbound";
        serviceId: string;
        /** CampanhaServico */
        serviceName: string;
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        /** SitOpe: the end state */
        state: "triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded";
        /** Observacao: the classification given in the wrap-up */
        classificationName: string | null;
        /** Ultimo: the latest end among them */
        lastFinishedAt: string;
        /** Qtd */
        count: number;
      }>;
    };
  };
  /** GET /api/indicators/conversations: Atendimentos OMNI: the conversations ended in the period, latest first (keyset pages; the first carries the total) */
  getIndicatorsConversations: {
    params: never;
    query: {
      from?: string;
      to?: string;
      serviceId?: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      after?: string;
      limit?: number;
      format?: "csv" | "xlsx";
    };
    body: never;
    response: {
      rows: Array<{
        id: string;
        /** Versão: the version of Mirante that serves the report */
        version: string;
        /** NrAtend and OcorrCrm: the SAC decree protocol is both the conversation’s number and the occurrence’s */
        protocol: string;
        /** EntradaFila: first entry into a human queue */
        queuedAt: string | null;
        /** InicioAtd: first assignment to an agent */
        humanStartedAt: string | null;
        /** TerminoAtd: the end */
        finishedAt: string;
        /** SituacaoAtd */
        state: "triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded";
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        serviceName: string;
        /** ES: inbound (Entrada, Receptivo: the customer wrote first) or outbound (Saída, Ativo) */
        direction: "inbound" | "outbound";
        /** Assunto: an e-mail’s subject */
        subject: string | null;
        /** Descrição: an e-mail’s body (the customer’s first message, its first 500 characters) */
        description: string | null;
        /** Origem: the customer’s e-mail address, else phone or channel identity */
        origin: string | null;
        /** AutoAtd: went through the bot */
        bot: boolean;
        /** AtdHmn: an agent handled it */
        human: boolean;
        /** Agente: the last agent */
        agentName: string | null;
        /** DataOcorr: when the protocol was drawn (the conversation’s start) */
        protocolAt: string;
        /** SituacaoOcorr: the classification given in the wrap-up */
        classificationName: string | null;
        /** FimOcorr: the occurrence closes with the conversation (the wrap-up is saved at its end) */
        closedAt: string;
        /** T.Audio: answered seconds of its WebChat calls while audio only; null when no call was answered */
        audioSeconds: number | null;
        /** T.Video: answered seconds of its calls while carrying video; null when no call was answered */
        videoSeconds: number | null;
      }>;
      /** cursor of the next page; null on the last */
      next: string | null;
      /** conversations the filter selects (first page only) */
      total?: number;
    };
  };
  /** GET /api/lgpd/contacts: Acessos a dados: find a contact by name, phone, e-mail, CPF or protocol (admins and the DPO) */
  getLgpdContacts: {
    params: never;
    query: {
      q: string;
    };
    body: never;
    response: {
      items: Array<{
        id: string;
        name: string | null;
        email: string | null;
        phone: string | null;
        cpf: string | null;
        anonymized: boolean;
        channels: Array<"webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api">;
        conversations: number;
        /** start of the contact’s latest conversation */
        lastAt: string | null;
      }>;
    };
  };
  /** GET /api/lgpd/contacts/{id}/accesses: Who accessed this contact’s data, when and from where (IP, browser), newest first; `format=csv` downloads every row (audited) */
  getLgpdContactsByIdAccesses: {
    params: {
      id: string;
    };
    query: {
      from?: string;
      to?: string;
      format?: "csv";
    };
    body: never;
    response: {
      contact: {
        id: string;
        name: string | null;
        email: string | null;
        phone: string | null;
        cpf: string | null;
        anonymized: boolean;
        channels: Array<"webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api">;
        conversations: number;
        /** start of the contact’s latest conversation */
        lastAt: string | null;
      };
      items: Array<{
        id: string;
        /** ISO 8601 date-time */
        at: string;
        actorId: string | null;
        actorName: string | null;
        /** view_messages, export_history, anonymize, update, … */
        action: string;
        entity: string;
        entityId: string | null;
        ip: string | null;
        userAgent: string | null;
      }>;
      truncated: boolean;
    };
  };
  /** GET /api/lookback/conversations: Consultas and Histórico: conversations by period, protocol, status, service, origin, classification and agent; CSV and XLSX exports */
  getLookbackConversations: {
    params: never;
    query: {
      from?: string;
      to?: string;
      serviceIds?: Array<string>;
      channels?: Array<"webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api">;
      states?: Array<"triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded">;
      agentIds?: Array<string>;
      classificationIds?: Array<string>;
      protocol?: string;
      origin?: string;
      text?: string;
      family?: "chat" | "email" | "messaging";
      sort?: "start" | "botStart" | "botEnd" | "queued" | "humanStart" | "humanEnd" | "protocol" | "queueTime" | "handleTime" | "contact" | "origin" | "service" | "subject" | "state" | "agent" | "channel" | "classification";
      dir?: "asc" | "desc";
      after?: string;
      limit?: number;
      format?: "csv" | "xlsx";
    };
    body: never;
    response: {
      rows: Array<{
        id: string;
        protocol: string;
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        direction: "inbound" | "outbound";
        state: "triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded";
        serviceId: string;
        serviceName: string;
        agentId: string | null;
        agentName: string | null;
        /** a waiting conversation a supervisor allocated (Alocar responsável): the agent it waits for */
        preferredAgentId: string | null;
        /** that agent’s name (Responsável of a queued e-mail) */
        preferredAgentName: string | null;
        contactId: string;
        contactName: string | null;
        origin: string | null;
        subject: string | null;
        classificationId: string | null;
        classificationName: string | null;
        /** ISO 8601 date-time */
        startedAt: string;
        /** ISO 8601 date-time */
        botStartedAt: string | null;
        /** ISO 8601 date-time */
        botEndedAt: string | null;
        /** first entry in the queue (Data Fila) */
        queuedAt: string | null;
        /** first assignment to an agent (Dt.Ini.Atd.Hum) */
        humanStartedAt: string | null;
        /** the end of the human service: the finish of a conversation an agent took */
        humanEndedAt: string | null;
        /** ISO 8601 date-time */
        finishedAt: string | null;
        /** Tempo de Fila: first queued to first assigned (or to the finish when no agent took it); null while waiting */
        queueSeconds: number | null;
        /** T.Atend: first assigned to finished; null while in service */
        handleSeconds: number | null;
        /** T.Audio: answered seconds of the conversation’s WebChat calls while they carried audio only; null when no call was answered */
        audioSeconds: number | null;
        /** T.Video: answered seconds of its calls while they carried video; null when no call was answered */
        videoSeconds: number | null;
      }>;
      next: string | null;
      total: number;
      totalExact: boolean;
    };
  };
  /** GET /media/{attachmentId}: A file an agent sends, for the provider that delivers it (a signed link that expires in hours) */
  getMediaByAttachmentId: {
    params: {
      attachmentId: string;
    };
    query: {
      exp: string;
      sig: string;
    };
    body: never;
    response: unknown;
  };
  /** GET /api/monitor/conversations: Monitorar: the open conversations, or those that started today or yesterday, grouped by status, service, agent or channel with their counts; with `group`, that group’s rows in keyset pages */
  getMonitorConversations: {
    params: never;
    query: {
      view: "status" | "service" | "agent" | "channel";
      period: "open" | "today" | "yesterday";
      serviceId?: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      group?: string;
      after?: string;
      limit?: number;
      format?: "csv" | "xlsx";
    };
    body: never;
    response: {
      view: "status" | "service" | "agent" | "channel";
      period: "open" | "today" | "yesterday";
      /** the day of today/yesterday in the contact center’s time zone; null for open */
      day: string | null;
      /** that day as instants [start, end) */
      range: {
        /** ISO 8601 date-time */
        start: string;
        /** ISO 8601 date-time */
        end: string;
      } | null;
      timezone: string;
      /** ISO 8601 date-time */
      generatedAt: string;
      total: number;
      groups: Array<{
        /** state, service id, agent id (none: Sem agente) or channel */
        key: string;
        /** the service’s or agent’s name; null for states, channels and Sem agente (the screen names them) */
        label: string | null;
        count: number;
      }>;
    } | {
      view: "status" | "service" | "agent" | "channel";
      period: "open" | "today" | "yesterday";
      /** the day of today/yesterday in the contact center’s time zone; null for open */
      day: string | null;
      /** that day as instants [start, end) */
      range: {
        /** ISO 8601 date-time */
        start: string;
        /** ISO 8601 date-time */
        end: string;
      } | null;
      timezone: string;
      /** ISO 8601 date-time */
      generatedAt: string;
      group: string;
      /** open: oldest first; today, yesterday: newest first */
      rows: Array<{
        id: string;
        /** Código */
        protocol: string;
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        /** Cliente */
        contactName: string | null;
        agentId: string | null;
        /** Agente: who has, or last had, the conversation */
        agentName: string | null;
        serviceId: string;
        /** Serviço */
        serviceName: string;
        /** Situação */
        state: "triage" | "bot" | "queued" | "in_service" | "completed" | "cancelled" | "abandoned" | "customer_gave_up" | "connection_lost" | "inactive_in_service" | "discarded";
        /** Assunto: the subject of the e-mail that opened it; null when none (other channels, no CRM) */
        subject: string | null;
        /** Início */
        createdAt: string;
        /** entered a human queue (T.Fila starts) */
        firstQueuedAt: string | null;
        /** an agent took it (T.Fila ends, T.Atd starts) */
        firstAssignedAt: string | null;
        /** ISO 8601 date-time */
        finishedAt: string | null;
        /** ÚltMsg */
        lastMessageAt: string | null;
      }>;
      /** pass as `after` for the next page; null on the last */
      nextCursor: string | null;
    };
  };
  /** GET /api/monitor/snapshot: Posição Geral, agents, services and Painel figures now (for wallboards and other systems); same filters as Início */
  getMonitorSnapshot: {
    params: never;
    query: {
      serviceId?: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      date?: string;
      allQueued?: "true" | "false";
    };
    body: never;
    response: {
      generatedAt: string;
      seq: number;
      /** the day of the figures, in the contact center’s time zone */
      day: string;
      timezone: string;
      /** Posição Geral, per channel */
      channels: Array<{
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        /** Aguardando na fila */
        queued: number;
        /** Autoatendimento */
        bot: number;
        /** Em atendimento */
        inService: number;
        /** No filtro inicial (e-mail) */
        triage: number;
        total: number;
      }>;
      totals: {
        /** Aguardando na fila */
        queued: number;
        /** Autoatendimento */
        bot: number;
        /** Em atendimento */
        inService: number;
        /** No filtro inicial (e-mail) */
        triage: number;
        total: number;
      };
      /** Geral: every logged-in agent in scope */
      agents: {
        /** Livres */
        available: number;
        /** Em pausa */
        paused: number;
        /** Em atendimento */
        inService: number;
        /** logged in, whatever the state */
        total: number;
      };
      /** Filtro Serviço: agents of the filtered service’s teams (= Geral without a service) */
      agentsFiltered: {
        /** Livres */
        available: number;
        /** Em pausa */
        paused: number;
        /** Em atendimento */
        inService: number;
        /** logged in, whatever the state */
        total: number;
      };
      services: Array<{
        serviceId: string;
        name: string;
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        /** Pré-atendimento */
        bot: number;
        /** Aguardando em fila */
        queued: number;
        /** Em atendimento */
        inService: number;
        total: number;
        /** entered the human queue in the period */
        offered: number;
        /** assigned to an agent in the period */
        answered: number;
        /** left the queue before being answered */
        abandoned: number;
        shortAbandoned: number;
        answeredInTarget: number;
        completed: number;
        /** NS %: answered within target ÷ (answered + abandoned − short abandons) */
        serviceLevel: number | null;
        serviceLevelTargetSeconds: number;
        /** TME: mean queue time of answered conversations */
        tmeSeconds: number | null;
        /** Maior espera: the oldest conversation waiting now */
        longestWaitSeconds: number | null;
        /** abandoned ÷ offered × 100 */
        abandonmentRate: number | null;
        /** TMA: mean of finished − assigned */
        tmaSeconds: number | null;
        /** Meta */
        tmaGoalSeconds: number;
      }>;
      /** Monitoramento do Dia: finished conversations per hour */
      hourly: Array<{
        hour: number;
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        finished: number;
      }>;
      /** the day’s conversations per channel (pie) */
      dayByChannel: Array<{
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        total: number;
      }>;
      panel: {
        /** open, last message from the customer: waiting for the agent */
        waitingCustomer: number;
        /** open, last message from the agent: waiting for the customer */
        waitingAgent: number;
        /** as waitingCustomer, silent for more than noInteractionMinutes */
        noInteractionCustomer: number;
        noInteractionAgent: number;
        noInteractionMinutes: number;
        agentsOnline: number;
        agentsOffline: number;
        agentsAttending: number;
        /** seconds; null when there is nothing to measure yet */
        tmaSeconds: number | null;
        /** weighted by conversations over the services in view */
        tmaGoalSeconds: number | null;
        dayInService: number;
        dayQueued: number;
        dayCompleted: number;
      };
    };
  };
  /** GET /api/pause-reasons: List pause-reasons */
  getPauseReasons: {
    params: never;
    query: {
      q?: string;
      active?: "true" | "false";
    };
    body: never;
    response: {
      items: Array<Schemas["PauseReason"]>;
    };
  };
  /** GET /api/pause-reasons/{id}: Read one of pause-reasons */
  getPauseReasonsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["PauseReason"];
  };
  /** GET /api/reports: Relatórios: the catalogue, in the Accept-Language’s words */
  getReports: {
    params: never;
    query: never;
    body: never;
    response: Array<{
      id: "intervals" | "agents" | "pauses" | "classifications" | "abandonment" | "bot" | "email" | "sessions" | "outbound" | "calls";
      title: string;
      description: string;
      /** whether the interval filter applies */
      usesInterval: boolean;
      /** the filters that apply */
      filters: Array<"serviceId" | "channel" | "teamId" | "agentId">;
    }>;
  };
  /** GET /api/reports/{id}: One report over the period (default today) in the caller’s scope */
  getReportsById: {
    params: {
      id: string;
    };
    query: {
      from?: string;
      to?: string;
      interval?: "15m" | "30m" | "hour" | "day" | "week" | "month";
      serviceId?: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      teamId?: string;
      agentId?: string;
      format?: "csv" | "xlsx" | "pdf";
    };
    body: never;
    response: {
      report: "intervals" | "agents" | "pauses" | "classifications" | "abandonment" | "bot" | "email" | "sessions" | "outbound" | "calls";
      title: string;
      from: string;
      to: string;
      timezone: string;
      /** the bucket used, for reports by interval */
      interval: "15m" | "30m" | "hour" | "day" | "week" | "month" | null;
      generatedAt: string;
      columns: Array<{
        key: string;
        /** the header, in the request’s language */
        label: string;
        kind: "text" | "count" | "number" | "pct" | "duration" | "time";
        /** how the figure is computed (the screen’s tooltip) */
        definition?: string;
      }>;
      /** the rows, the first 5,000 when there are more (rowCount; a note says so): the downloads have them all */
      rows: Array<{
        [key: string]: string | number | null;
      }>;
      /** how many rows the report has */
      rowCount: number;
      /** the totals row (weighted by conversation, never a mean of means); null when a total means nothing */
      total: {
        [key: string]: string | number | null;
      } | null;
      chart: {
        type: "line" | "bar" | "stacked-bar" | "pie";
        /** the column on the x axis */
        category: string;
        /** the columns drawn */
        series: Array<string>;
        groupBy?: string;
        points?: Array<{
          [key: string]: string | number | null;
        }>;
      } | null;
      /** what the reader must know (e.g. a figure not kept before a date) */
      notes: Array<string>;
    };
  };
  /** GET /api/report-schedules: The report schedules: mine (an admin: everyone’s) */
  getReportSchedules: {
    params: never;
    query: never;
    body: never;
    response: {
      items: Array<{
        id: string;
        reportId: "intervals" | "agents" | "pauses" | "classifications" | "abandonment" | "bot" | "email" | "sessions" | "outbound" | "calls";
        filters: {
          interval?: "15m" | "30m" | "hour" | "day" | "week" | "month";
          serviceId?: string;
          channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
          teamId?: string;
          agentId?: string;
        };
        period: "yesterday" | "last_week" | "last_month";
        format: "csv" | "xlsx" | "pdf";
        recipients: Array<string>;
        frequency: "daily" | "weekly" | "monthly";
        hour: number;
        active: boolean;
        ownerId: string;
        ownerName: string;
        lastRunAt: string | null;
        nextRunAt: string;
        createdAt: string;
      }>;
      mailConfigured: boolean;
    };
  };
  /** GET /api/report-schedules/{id}: One report schedule (another supervisor’s is 404) */
  getReportSchedulesById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      id: string;
      reportId: "intervals" | "agents" | "pauses" | "classifications" | "abandonment" | "bot" | "email" | "sessions" | "outbound" | "calls";
      filters: {
        interval?: "15m" | "30m" | "hour" | "day" | "week" | "month";
        serviceId?: string;
        channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        teamId?: string;
        agentId?: string;
      };
      period: "yesterday" | "last_week" | "last_month";
      format: "csv" | "xlsx" | "pdf";
      recipients: Array<string>;
      frequency: "daily" | "weekly" | "monthly";
      hour: number;
      active: boolean;
      ownerId: string;
      ownerName: string;
      lastRunAt: string | null;
      nextRunAt: string;
      createdAt: string;
    };
  };
  /** GET /api/retention/preview: Retention dry run: how many records each rule (on or off) would touch if it ran now (admins and the DPO) */
  getRetentionPreview: {
    params: never;
    query: never;
    body: never;
    response: {
      /** ISO 8601 date-time */
      at: string;
      timezone: string;
      rules: Array<{
        rule: "messages" | "emailBodies" | "attachments" | "accessRecords" | "auditLog";
        enabled: boolean;
        /** records finished (service records) or made (access records, audit rows) before this instant */
        cutoff: string;
        counts: {
          [key: string]: number;
        };
        total: number;
      }>;
    };
  };
  /** GET /api/services: List services */
  getServices: {
    params: never;
    query: {
      q?: string;
      active?: "true" | "false";
    };
    body: never;
    response: {
      items: Array<Schemas["Service"]>;
    };
  };
  /** GET /api/services/{id}: Read one of services */
  getServicesById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Service"];
  };
  /** GET /api/services/{id}/wrapup-fields: The wrap-up fields of a service, in order */
  getServicesByIdWrapupFields: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["WrapupFieldList"];
  };
  /** GET /api/settings: All parameters (defaults filled in) */
  getSettings: {
    params: never;
    query: never;
    body: never;
    response: {
      timezone: string;
      companyName: string;
      timeInState: {
        lowMinutes: number;
        highMinutes: number;
      };
      noInteractionMinutes: number;
      shortAbandonSeconds: number;
      serviceLevel: {
        chatSeconds: number;
        emailSeconds: number;
        targetPercent: number;
      };
      timeouts: {
        botSeconds: number;
        queueSeconds: number;
        inactiveInServiceSeconds: number;
        agentGraceSeconds: number;
        connectionLostAction: "requeue" | "finish";
      };
      alerts: {
        pauseMinutes: number;
        queueWaitOverTarget: boolean;
        noInteractionMinutes: number;
        longServiceMinutes: number;
        queueLength: number;
        serviceLevelPercent: number;
        walletMinBalance: number;
      };
      allowPrivateWebhookTargets: boolean;
      retention: {
        messagesEnabled: boolean;
        messagesYears: number;
        attachmentsEnabled: boolean;
        attachmentsYears: number;
        emailBodiesEnabled: boolean;
        emailBodiesYears: number;
        accessRecordsEnabled: boolean;
        accessRecordsMonths: number;
        auditLogEnabled: boolean;
        auditLogMonths: number;
      };
      optOut: {
        words: Array<string>;
        confirmation: string;
      };
    };
  };
  /** GET /api/settings/{key}: One parameter */
  getSettingsByKey: {
    params: {
      key: "timezone" | "companyName" | "timeInState" | "noInteractionMinutes" | "shortAbandonSeconds" | "serviceLevel" | "timeouts" | "alerts" | "allowPrivateWebhookTargets" | "retention" | "optOut";
    };
    query: never;
    body: never;
    response: Schemas["Setting"];
  };
  /** GET /api/teams: List teams */
  getTeams: {
    params: never;
    query: {
      q?: string;
      active?: "true" | "false";
    };
    body: never;
    response: {
      items: Array<Schemas["Team"]>;
    };
  };
  /** GET /api/teams/{id}: Read one of teams */
  getTeamsById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Team"];
  };
  /** GET /api/template-categories: List template-categories */
  getTemplateCategories: {
    params: never;
    query: {
      q?: string;
      active?: "true" | "false";
    };
    body: never;
    response: {
      items: Array<Schemas["TemplateCategory"]>;
    };
  };
  /** GET /api/template-categories/{id}: Read one of template-categories */
  getTemplateCategoriesById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["TemplateCategory"];
  };
  /** GET /api/templates: List templates */
  getTemplates: {
    params: never;
    query: {
      q?: string;
      active?: "true" | "false";
    };
    body: never;
    response: {
      items: Array<Schemas["Template"]>;
    };
  };
  /** GET /api/templates/{id}: Read one of templates */
  getTemplatesById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Template"];
  };
  /** GET /api/users: List users */
  getUsers: {
    params: never;
    query: {
      q?: string;
      active?: "true" | "false";
    };
    body: never;
    response: {
      items: Array<Schemas["User"]>;
    };
  };
  /** GET /api/users/{id}: Read one of users */
  getUsersById: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["User"];
  };
  /** GET /api/version: The version of Mirante this node runs */
  getVersion: {
    params: never;
    query: never;
    body: never;
    response: {
      version: string;
    };
  };
  /** GET /webchat/attachments/{id}: A file of the visitor’s conversation (token in ?token= or x-visitor-token) */
  getWebchatAttachmentsById: {
    params: {
      id: string;
    };
    query: {
      token?: string;
    };
    body: never;
    response: unknown;
  };
  /** GET /webchat/config/{serviceKey}: The widget’s configuration: open now, pre-chat form, upload limits */
  getWebchatConfigByServiceKey: {
    params: {
      serviceKey: string;
    };
    query: never;
    body: never;
    response: {
      serviceKey: string;
      serviceName: string;
      open: boolean;
      closedMessage: string | null;
      outsideHours: "queue" | "leave_message";
      prechat: Array<{
        field: "name" | "email" | "phone" | "cpf";
        /** the SAC decree: by default no field blocks reaching an attendant */
        required: boolean;
      }>;
      maxAttachmentBytes: number;
      /** accepted MIME types */
      attachmentTypes: Array<string>;
      customerCalls: boolean;
    };
  };
  /** GET /webhooks/{channel}/{accountId}: A provider verifies the webhook (Meta: hub.mode, hub.verify_token, hub.challenge) */
  getWebhooksByChannelByAccountId: {
    params: {
      channel: string;
      accountId: string;
    };
    query: never;
    body: never;
    response: unknown;
  };
  /** GET /api/whatsapp/wallet: Carteira WhatsApp: the service’s wallet balance and currency (Gupshup), the number’s quality and messaging limit, as last read from the provider */
  getWhatsappWallet: {
    params: never;
    query: {
      serviceId: string;
    };
    body: never;
    response: {
      serviceId: string;
      accountId: string;
      provider: "meta" | "gupshup";
      /** the wallet balance (Gupshup); null on Meta, which bills the business directly */
      balance: number | null;
      currency: string | null;
      overdraftLimit: number | null;
      /** the number’s quality rating */
      quality: "GREEN" | "YELLOW" | "RED" | null;
      /** the current messaging limit for templates, as the provider names it (Tier1K, TIER_10K…) */
      messagingLimit: string | null;
      /** when the figures were read from the provider; null before the first reading */
      readAt: string | null;
      /** the provider’s answer when the last reading failed (the figures are the previous reading’s) */
      error: string | null;
      errorAt: string | null;
      /** the provider’s console, where credit is added */
      consoleUrl: string;
    };
  };
  /** PATCH /api/auth/me: Change my language, name or password */
  patchAuthMe: {
    params: never;
    query: never;
    body: {
      language?: "pt-BR" | "en";
      name?: string;
      currentPassword?: string;
      newPassword?: string;
    };
    response: Schemas["Me"];
  };
  /** PATCH /api/channel-accounts/{id}: Update one of channel-accounts */
  patchChannelAccountsById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      name?: string;
      provider?: string | null;
      /** non-secret fields; for a known provider exactly its fields (contracts/channel-account-fields.ts) */
      config?: {
        [key: string]: unknown;
      };
      /** the secrets to set (null removes one); those not named are kept, unless the provider changes */
      credentials?: {
        [key: string]: string | null;
      };
      active?: boolean;
    };
    response: Schemas["SavedChannelAccount"];
  };
  /** PATCH /api/classifications/{id}: Update one of classifications */
  patchClassificationsById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      code?: string;
      name?: string;
      serviceIds?: Array<string> | null;
      active?: boolean;
    };
    response: Schemas["Classification"];
  };
  /** PATCH /api/contacts/{id}: Correction (LGPD art. 18, III): name, e-mail, phone, CPF, each validated; audited before/after */
  patchContactsById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      /** null or "" clears it */
      name?: string | null;
      email?: string | null;
      /** a Brazilian number with area code; stored as E.164 */
      phone?: string | null;
      /** checked by its check digits; stored as 11 digits */
      cpf?: string | null;
    };
    response: {
      id: string;
      name: string | null;
      email: string | null;
      phone: string | null;
      cpf: string | null;
      /** in the caller’s scope */
      conversations: number;
      /** ISO 8601 date-time */
      lastContactAt: string | null;
      /** ISO 8601 date-time */
      anonymizedAt: string | null;
      /** what the bot or the pre-chat form collected */
      data: {
        [key: string]: unknown;
      };
      identities: Array<{
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        externalId: string;
        displayName: string | null;
        /** ISO 8601 date-time */
        createdAt: string;
      }>;
      /** ISO 8601 date-time */
      firstContactAt: string | null;
      /** ISO 8601 date-time */
      createdAt: string;
      /** the latest 200 in the caller’s scope; the history export has them all */
      recentConversations: Array<{
        id: string;
        protocol: string;
        channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        serviceName: string;
        state: string;
        subject: string | null;
        agentName: string | null;
        /** ISO 8601 date-time */
        createdAt: string;
        /** ISO 8601 date-time */
        finishedAt: string | null;
      }>;
    };
  };
  /** PATCH /api/pause-reasons/{id}: Update one of pause-reasons */
  patchPauseReasonsById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      name?: string;
      maxMinutes?: number | null;
      productive?: boolean;
      active?: boolean;
    };
    response: Schemas["PauseReason"];
  };
  /** PATCH /api/report-schedules/{id}: Change, pause or resume a report schedule (audited) */
  patchReportSchedulesById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      filters?: {
        interval?: "15m" | "30m" | "hour" | "day" | "week" | "month";
        serviceId?: string;
        channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        teamId?: string;
        agentId?: string;
      };
      /** the period of each sending, relative to its day: yesterday, last week (Monday to Sunday), last month */
      period?: "yesterday" | "last_week" | "last_month";
      format?: "csv" | "xlsx" | "pdf";
      /** who receives it */
      recipients?: Array<string>;
      /** daily; weekly on Mondays; monthly on the 1st */
      frequency?: "daily" | "weekly" | "monthly";
      /** the hour of the sending, in the contact center’s time zone */
      hour?: number;
      active?: boolean;
    };
    response: {
      id: string;
      reportId: "intervals" | "agents" | "pauses" | "classifications" | "abandonment" | "bot" | "email" | "sessions" | "outbound" | "calls";
      filters: {
        interval?: "15m" | "30m" | "hour" | "day" | "week" | "month";
        serviceId?: string;
        channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        teamId?: string;
        agentId?: string;
      };
      period: "yesterday" | "last_week" | "last_month";
      format: "csv" | "xlsx" | "pdf";
      recipients: Array<string>;
      frequency: "daily" | "weekly" | "monthly";
      hour: number;
      active: boolean;
      ownerId: string;
      ownerName: string;
      lastRunAt: string | null;
      nextRunAt: string;
      createdAt: string;
    };
  };
  /** PATCH /api/services/{id}: Update one of services */
  patchServicesById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      name?: string;
      key?: string;
      channelAccountId?: string | null;
      teamIds?: Array<string>;
      /** checked by the flow validator: no unreachable or dead-end step */
      botFlow?: {
        version: 1;
        start: string;
        steps: {
          [key: string]: {
            kind: "message";
            text: string;
            next: string;
          } | {
            kind: "answer";
            text: string;
            next: string;
          } | {
            kind: "menu";
            text: string;
            options: Array<{
              id: string;
              label: string;
              /** extra words that pick this option on text channels */
              keywords?: Array<string>;
              next: string;
            }>;
            retryText?: string;
            onFail?: string;
            maxAttempts?: number;
          } | {
            kind: "question";
            text: string;
            field: "name" | "cpf" | "email" | "phone" | "order_number" | "text";
            saveAs?: string;
            retryText: string;
            maxAttempts?: number;
            next: string;
            onFail: string;
          } | {
            kind: "transfer";
            /** absent: the flow’s own service */
            serviceId?: string;
            text?: string;
          } | {
            kind: "end";
            text: string;
          };
        };
      } | null;
      serviceLevelSeconds?: number;
      tmaGoalSeconds?: number;
      botTimeoutSeconds?: number;
      queueTimeoutSeconds?: number;
      inactivityTimeoutSeconds?: number;
      emailTriage?: boolean;
      emailSignature?: string | null;
      /** loopback, private and link-local targets are refused (422) unless the setting allowPrivateWebhookTargets is on */
      outboundWebhookUrl?: string | null;
      businessHours?: {
        weekly: {
          sun?: Array<{
            start: string;
            end: string;
          }>;
          mon?: Array<{
            start: string;
            end: string;
          }>;
          tue?: Array<{
            start: string;
            end: string;
          }>;
          wed?: Array<{
            start: string;
            end: string;
          }>;
          thu?: Array<{
            start: string;
            end: string;
          }>;
          fri?: Array<{
            start: string;
            end: string;
          }>;
          sat?: Array<{
            start: string;
            end: string;
          }>;
        };
        holidays?: Array<{
          date: string;
          name?: string;
        }>;
        closedMessage?: string | null;
        outsideHours?: "queue" | "leave_message";
      } | null;
      prechatForm?: Array<{
        field: "name" | "email" | "phone" | "cpf";
        /** the SAC decree: by default no field blocks reaching an attendant */
        required: boolean;
      }>;
      outboundReply?: "agent" | "queue";
      protocolUpdateTemplateId?: string | null;
      protocolUpdateOn?: Array<"completed" | "cancelled" | "inactive_in_service" | "customer_gave_up" | "transferred">;
      customerCalls?: boolean;
      active?: boolean;
    };
    response: Schemas["Service"];
  };
  /** PATCH /api/settings: Change some parameters */
  patchSettings: {
    params: never;
    query: never;
    body: {
      timezone?: string;
      companyName?: string;
      timeInState?: {
        lowMinutes: number;
        highMinutes: number;
      };
      noInteractionMinutes?: number;
      shortAbandonSeconds?: number;
      serviceLevel?: {
        chatSeconds: number;
        emailSeconds: number;
        targetPercent: number;
      };
      timeouts?: {
        botSeconds: number;
        queueSeconds: number;
        inactiveInServiceSeconds: number;
        agentGraceSeconds: number;
        connectionLostAction: "requeue" | "finish";
      };
      alerts?: {
        pauseMinutes: number;
        queueWaitOverTarget: boolean;
        noInteractionMinutes: number;
        longServiceMinutes: number;
        queueLength: number;
        serviceLevelPercent: number;
        walletMinBalance?: number;
      };
      allowPrivateWebhookTargets?: boolean;
      retention?: {
        messagesEnabled: boolean;
        messagesYears: number;
        attachmentsEnabled: boolean;
        attachmentsYears: number;
        emailBodiesEnabled: boolean;
        emailBodiesYears: number;
        accessRecordsEnabled: boolean;
        accessRecordsMonths: number;
        auditLogEnabled: boolean;
        auditLogMonths: number;
      };
      optOut?: {
        words: Array<string>;
        confirmation: string;
      };
    };
    response: {
      timezone: string;
      companyName: string;
      timeInState: {
        lowMinutes: number;
        highMinutes: number;
      };
      noInteractionMinutes: number;
      shortAbandonSeconds: number;
      serviceLevel: {
        chatSeconds: number;
        emailSeconds: number;
        targetPercent: number;
      };
      timeouts: {
        botSeconds: number;
        queueSeconds: number;
        inactiveInServiceSeconds: number;
        agentGraceSeconds: number;
        connectionLostAction: "requeue" | "finish";
      };
      alerts: {
        pauseMinutes: number;
        queueWaitOverTarget: boolean;
        noInteractionMinutes: number;
        longServiceMinutes: number;
        queueLength: number;
        serviceLevelPercent: number;
        walletMinBalance: number;
      };
      allowPrivateWebhookTargets: boolean;
      retention: {
        messagesEnabled: boolean;
        messagesYears: number;
        attachmentsEnabled: boolean;
        attachmentsYears: number;
        emailBodiesEnabled: boolean;
        emailBodiesYears: number;
        accessRecordsEnabled: boolean;
        accessRecordsMonths: number;
        auditLogEnabled: boolean;
        auditLogMonths: number;
      };
      optOut: {
        words: Array<string>;
        confirmation: string;
      };
    };
  };
  /** PATCH /api/teams/{id}: Update one of teams */
  patchTeamsById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      name?: string;
      omniEnabled?: boolean;
      maxChat?: number;
      maxEmail?: number;
      active?: boolean;
      agentIds?: Array<string>;
      supervisorIds?: Array<string>;
    };
    response: Schemas["Team"];
  };
  /** PATCH /api/template-categories/{id}: Update one of template-categories */
  patchTemplateCategoriesById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      code?: number;
      title?: string;
      type?: "protocol_update" | "notification" | "billing" | "satisfaction_survey" | "marketing";
      active?: boolean;
    };
    response: Schemas["TemplateCategory"];
  };
  /** PATCH /api/templates/{id}: Update one of templates */
  patchTemplatesById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      categoryId?: string;
      name?: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api" | null;
      language?: string;
      body?: string;
      providerTemplate?: string | null;
      channelAccountId?: string | null;
      providerCategory?: "MARKETING" | "UTILITY" | "AUTHENTICATION" | null;
      header?: string | null;
      footer?: string | null;
      buttons?: Array<{
        type: "QUICK_REPLY";
        text: string;
      } | {
        type: "URL";
        text: string;
        url: string;
      } | {
        type: "PHONE_NUMBER";
        text: string;
        phoneNumber: string;
      }>;
      examples?: Array<string>;
      active?: boolean;
    };
    response: Schemas["Template"];
  };
  /** PATCH /api/users/{id}: Update one of users */
  patchUsersById: {
    params: {
      id: string;
    };
    query: never;
    body: {
      email?: string;
      name?: string;
      role?: "admin" | "supervisor" | "agent";
      password?: string;
      language?: "pt-BR" | "en";
      agentEnabled?: boolean;
      privacyOfficer?: boolean;
      active?: boolean;
      teamIds?: Array<string>;
      supervisedTeamIds?: Array<string>;
    };
    response: Schemas["User"];
  };
  /** POST /api/agent/heartbeat: Keep-alive for integrations without a WebSocket */
  postAgentHeartbeat: {
    params: never;
    query: never;
    body: never;
    response: Schemas["AgentView"];
  };
  /** POST /api/agent/login: Log in to the queues (Livre) */
  postAgentLogin: {
    params: never;
    query: never;
    body: never;
    response: Schemas["AgentView"];
  };
  /** POST /api/agent/logout: Log out of the queues (Sair); refused with open conversations */
  postAgentLogout: {
    params: never;
    query: never;
    body: never;
    response: Schemas["AgentView"];
  };
  /** POST /api/agent/pause: Pause with a reason; pending while conversations are open */
  postAgentPause: {
    params: never;
    query: never;
    body: {
      reasonId: string;
    };
    response: Schemas["AgentView"];
  };
  /** POST /api/agent/resume: End the pause (or cancel a pending one) */
  postAgentResume: {
    params: never;
    query: never;
    body: never;
    response: Schemas["AgentView"];
  };
  /** POST /api/alerts/{id}/read: Mark one alert as read */
  postAlertsByIdRead: {
    params: {
      id: number;
    };
    query: never;
    body: never;
    response: void;
  };
  /** POST /api/alerts/read-all: Mark every recent alert as read */
  postAlertsReadAll: {
    params: never;
    query: never;
    body: never;
    response: void;
  };
  /** POST /api/auth/login: Sign in: sets the HttpOnly session cookie */
  postAuthLogin: {
    params: never;
    query: never;
    body: {
      email: string;
      password: string;
    };
    response: Schemas["Me"];
  };
  /** POST /api/auth/logout: Sign out */
  postAuthLogout: {
    params: never;
    query: never;
    body: never;
    response: void;
  };
  /** POST /api/auth/sessions/end-others: End every session of mine but this one */
  postAuthSessionsEndOthers: {
    params: never;
    query: never;
    body: never;
    response: Schemas["EndedSessions"];
  };
  /** POST /api/campaigns: Creates a campaign: one row per CSV line (the skipped ones with their reason), sent within the window of hours from startAt */
  postCampaigns: {
    params: never;
    query: never;
    body: {
      templateId: string;
      serviceId: string;
      csv: string;
      name: string;
      window: {
        from: string;
        to: string;
      };
      /** absent: now */
      startAt?: string;
    };
    response: {
      id: string;
      name: string;
      templateId: string;
      templateName: string;
      serviceId: string;
      serviceName: string;
      channelAccountId: string;
      window: {
        from: string;
        to: string;
      };
      /** not before this time */
      startAt: string;
      status: "scheduled" | "running" | "paused" | "finished" | "cancelled";
      ratePerSecond: number;
      counts: {
        total: number;
        queued: number;
        sent: number;
        delivered: number;
        read: number;
        failed: number;
        answered: number;
        skipped: number;
      };
      createdBy: string;
      createdByName: string;
      /** ISO 8601 date-time */
      createdAt: string;
      /** ISO 8601 date-time */
      finishedAt: string | null;
    };
  };
  /** POST /api/campaigns/{id}/cancel: Cancels a campaign: what was not sent never is */
  postCampaignsByIdCancel: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      id: string;
      name: string;
      templateId: string;
      templateName: string;
      serviceId: string;
      serviceName: string;
      channelAccountId: string;
      window: {
        from: string;
        to: string;
      };
      /** not before this time */
      startAt: string;
      status: "scheduled" | "running" | "paused" | "finished" | "cancelled";
      ratePerSecond: number;
      counts: {
        total: number;
        queued: number;
        sent: number;
        delivered: number;
        read: number;
        failed: number;
        answered: number;
        skipped: number;
      };
      createdBy: string;
      createdByName: string;
      /** ISO 8601 date-time */
      createdAt: string;
      /** ISO 8601 date-time */
      finishedAt: string | null;
    };
  };
  /** POST /api/campaigns/{id}/pause: Pauses a campaign: nothing more is sent until it is resumed */
  postCampaignsByIdPause: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      id: string;
      name: string;
      templateId: string;
      templateName: string;
      serviceId: string;
      serviceName: string;
      channelAccountId: string;
      window: {
        from: string;
        to: string;
      };
      /** not before this time */
      startAt: string;
      status: "scheduled" | "running" | "paused" | "finished" | "cancelled";
      ratePerSecond: number;
      counts: {
        total: number;
        queued: number;
        sent: number;
        delivered: number;
        read: number;
        failed: number;
        answered: number;
        skipped: number;
      };
      createdBy: string;
      createdByName: string;
      /** ISO 8601 date-time */
      createdAt: string;
      /** ISO 8601 date-time */
      finishedAt: string | null;
    };
  };
  /** POST /api/campaigns/{id}/resume: Resumes a paused campaign */
  postCampaignsByIdResume: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      id: string;
      name: string;
      templateId: string;
      templateName: string;
      serviceId: string;
      serviceName: string;
      channelAccountId: string;
      window: {
        from: string;
        to: string;
      };
      /** not before this time */
      startAt: string;
      status: "scheduled" | "running" | "paused" | "finished" | "cancelled";
      ratePerSecond: number;
      counts: {
        total: number;
        queued: number;
        sent: number;
        delivered: number;
        read: number;
        failed: number;
        answered: number;
        skipped: number;
      };
      createdBy: string;
      createdByName: string;
      /** ISO 8601 date-time */
      createdAt: string;
      /** ISO 8601 date-time */
      finishedAt: string | null;
    };
  };
  /** POST /api/campaigns/validate: Checks a CSV of contacts against a template and a service, row by row, storing nothing */
  postCampaignsValidate: {
    params: never;
    query: never;
    body: {
      templateId: string;
      serviceId: string;
      csv: string;
    };
    response: {
      rows: number;
      ok: number;
      skipped: number;
      problems: Array<{
        line: number;
        phone: string | null;
        name: string | null;
        parameters: Array<string>;
        ok: boolean;
        reason: "opted_out" | "duplicate" | "invalid_phone" | "missing_parameter" | "interrupted" | "cancelled" | "invalid_row" | null;
        /** what is wrong with the row, in the request language */
        message: string | null;
      }>;
      sample: Array<{
        line: number;
        phone: string | null;
        name: string | null;
        parameters: Array<string>;
        ok: boolean;
        reason: "opted_out" | "duplicate" | "invalid_phone" | "missing_parameter" | "interrupted" | "cancelled" | "invalid_row" | null;
        /** what is wrong with the row, in the request language */
        message: string | null;
      }>;
    };
  };
  /** POST /api/channel-accounts: Create channel-accounts */
  postChannelAccounts: {
    params: never;
    query: never;
    body: {
      channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      name: string;
      provider?: string | null;
      /** non-secret fields; for a known provider exactly its fields (contracts/channel-account-fields.ts) */
      config?: {
        [key: string]: unknown;
      };
      /** write-only secrets (tokens, passwords), encrypted at rest */
      credentials?: {
        [key: string]: string;
      };
      active?: boolean;
    };
    response: Schemas["SavedChannelAccount"];
  };
  /** POST /api/channel-accounts/{id}/test: Testar conexão: calls the provider with the account's credentials and says what is wrong */
  postChannelAccountsByIdTest: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      ok: boolean;
      message: string;
    };
  };
  /** POST /api/channels/api/{serviceId}/messages: API channel: a customer message comes in (answers after it is durable) */
  postChannelsApiByServiceIdMessages: {
    params: {
      serviceId: string;
    };
    query: never;
    body: {
      contact: {
        externalId: string;
        name?: string;
      };
      /** your id of this message: a repeated delivery is ignored */
      externalId: string;
      text: string;
    };
    response: {
      conversationId: string;
      protocol: string;
      messageId: number | null;
      /** true when this externalId was already received: accepted and ignored */
      duplicate: boolean;
    };
  };
  /** POST /api/classifications: Create classifications */
  postClassifications: {
    params: never;
    query: never;
    body: {
      code: string;
      name: string;
      serviceIds?: Array<string> | null;
      active?: boolean;
    };
    response: Schemas["Classification"];
  };
  /** POST /api/contacts/{id}/anonymize: Erasure: the person’s values leave every table, irreversibly; protocols, times, states and figures stay. 409 when done already or conversations are open */
  postContactsByIdAnonymize: {
    params: {
      id: string;
    };
    query: never;
    body: {
      /** why (the request, its date): kept in the audit log */
      reason: string;
      /** the contact’s id or its current name, typed again */
      confirm: string;
    };
    response: {
      id: string;
      /** ISO 8601 date-time */
      anonymizedAt: string;
      conversations: number;
      messages: number;
      attachments: number;
    };
  };
  /** POST /api/conversations/assign: Alocar responsável for a selection of queued conversations; all or nothing (404 names unknown ids, 409 ids not queued) */
  postConversationsAssign: {
    params: never;
    query: never;
    body: {
      conversationIds: Array<string>;
      agentId: string;
    };
    response: {
      items: Array<Schemas["ConversationView"]>;
    };
  };
  /** POST /api/conversations/{id}/assign: Alocar responsável: a queued conversation goes first to this agent */
  postConversationsByIdAssign: {
    params: {
      id: string;
    };
    query: never;
    body: {
      agentId: string;
    };
    response: Schemas["ConversationView"];
  };
  /** POST /api/conversations/{id}/attachments: The conversation’s agent uploads a file (≤ 10 MB: images, PDF, text, Word, Excel, MP3/Ogg/MP4 audio, MP4 video) to send in a message */
  postConversationsByIdAttachments: {
    params: {
      id: string;
    };
    query: never;
    body: {
      file: Blob;
    } | Blob;
    response: {
      id: string;
      name: string;
      type: string;
      size: number;
      url: string;
    };
  };
  /** POST /api/conversations/{id}/finish: Concluir or Cancelar, with the wrap-up */
  postConversationsByIdFinish: {
    params: {
      id: string;
    };
    query: never;
    body: {
      outcome: "completed" | "cancelled";
      /** required on completed when the service offers classifications (one of those) */
      classificationId?: string;
      notes?: string;
      fields?: {
        [key: string]: string | number | boolean;
      };
    };
    response: Schemas["ConversationView"];
  };
  /** POST /api/conversations/{id}/messages: The agent writes to the customer: text, one file with a caption, or an approved template (409 window_closed outside the window) */
  postConversationsByIdMessages: {
    params: {
      id: string;
    };
    query: never;
    body: {
      text?: string;
      /** one file per message (the desk sends one message per file); an e-mail carries up to 10 */
      attachmentIds?: Array<string>;
      template?: {
        id: string;
        parameters: Array<string>;
      };
      /** e-mail conversations: how the reply goes */
      email?: {
        /** reply: to the sender; replyAll: and everyone the e-mail went to; forward: to whom `to` says */
        mode: "reply" | "replyAll" | "forward";
        /** empty or absent: as the mode says (forward needs it) */
        to?: Array<string>;
        cc?: Array<string>;
        bcc?: Array<string>;
        /** absent: "Re:"/"Fwd:" and the e-mail's subject; the protocol tag is always put in front */
        subject?: string;
      };
      /** the message of this conversation this one answers (the desk’s Responder): sent with the provider’s reply context where it has one */
      replyToMessageId?: number;
    };
    response: Schemas["MessageView"];
  };
  /** POST /api/conversations/{id}/return-to-queue: Retornar para grupo do serviço */
  postConversationsByIdReturnToQueue: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["ConversationView"];
  };
  /** POST /api/conversations/{id}/transfer: Transfer to an agent or to another service */
  postConversationsByIdTransfer: {
    params: {
      id: string;
    };
    query: never;
    body: {
      toAgentId: string;
    } | {
      toServiceId: string;
    };
    response: Schemas["ConversationView"];
  };
  /** POST /api/conversations/{id}/whispers: Supervisor chat about this conversation (never seen by the customer) */
  postConversationsByIdWhispers: {
    params: {
      id: string;
    };
    query: never;
    body: {
      text: string;
    };
    response: Schemas["WhisperView"];
  };
  /** POST /api/conversations/{id}/whispers/read: Mark the supervisor chat as read: an agent reads what supervisors wrote to them, a supervisor the agent’s answers */
  postConversationsByIdWhispersRead: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: void;
  };
  /** POST /api/conversations/outbound: Starts an outbound conversation (Mensagens ativas, ES Saída): in service with the calling agent, its own protocol, the template sent through the outbox (audited) */
  postConversationsOutbound: {
    params: never;
    query: never;
    body: {
      /** a contact found by the search (GET /api/agent/contacts) */
      contactId?: string;
      /** or a new number (WhatsApp, SMS): +5511988887777 */
      phone?: string;
      /** one of the agent's services: its channel and account send the template */
      serviceId: string;
      /** WhatsApp: an APPROVED template; elsewhere any active template, sent as plain text */
      templateId: string;
      /** {{1}}, {{2}}… in order */
      parameters: Array<string>;
    };
    response: {
      conversation: Schemas["ConversationView"];
      messageId: number;
    };
  };
  /** POST /api/conversations/return-to-queue: Retornar para grupo do serviço for a selection (queued or in service); all or nothing (404 names unknown ids, 409 ids in another state) */
  postConversationsReturnToQueue: {
    params: never;
    query: never;
    body: {
      conversationIds: Array<string>;
    };
    response: {
      items: Array<Schemas["ConversationView"]>;
    };
  };
  /** POST /api/email-triage/accept: Aceitar e-mail(s): to the service’s queue; all or nothing (404 names unknown ids, 409 ids no longer in the filter) */
  postEmailTriageAccept: {
    params: never;
    query: never;
    body: {
      conversationIds: Array<string>;
    };
    response: {
      items: Array<Schemas["ConversationView"]>;
    };
  };
  /** POST /api/email-triage/discard: Apagar e-mail(s): discarded, kept for the record; all or nothing (404 names unknown ids, 409 ids no longer in the filter) */
  postEmailTriageDiscard: {
    params: never;
    query: never;
    body: {
      conversationIds: Array<string>;
    };
    response: {
      items: Array<Schemas["ConversationView"]>;
    };
  };
  /** POST /api/pause-reasons: Create pause-reasons */
  postPauseReasons: {
    params: never;
    query: never;
    body: {
      name: string;
      maxMinutes?: number | null;
      productive?: boolean;
      active?: boolean;
    };
    response: Schemas["PauseReason"];
  };
  /** POST /api/report-schedules: Schedule a report by e-mail (audited); its first sending is the next due hour */
  postReportSchedules: {
    params: never;
    query: never;
    body: {
      reportId: "intervals" | "agents" | "pauses" | "classifications" | "abandonment" | "bot" | "email" | "sessions" | "outbound" | "calls";
      filters?: {
        interval?: "15m" | "30m" | "hour" | "day" | "week" | "month";
        serviceId?: string;
        channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        teamId?: string;
        agentId?: string;
      };
      /** the period of each sending, relative to its day: yesterday, last week (Monday to Sunday), last month */
      period: "yesterday" | "last_week" | "last_month";
      format: "csv" | "xlsx" | "pdf";
      /** who receives it */
      recipients: Array<string>;
      /** daily; weekly on Mondays; monthly on the 1st */
      frequency: "daily" | "weekly" | "monthly";
      /** the hour of the sending, in the contact center’s time zone */
      hour: number;
      active?: boolean;
    };
    response: {
      id: string;
      reportId: "intervals" | "agents" | "pauses" | "classifications" | "abandonment" | "bot" | "email" | "sessions" | "outbound" | "calls";
      filters: {
        interval?: "15m" | "30m" | "hour" | "day" | "week" | "month";
        serviceId?: string;
        channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
        teamId?: string;
        agentId?: string;
      };
      period: "yesterday" | "last_week" | "last_month";
      format: "csv" | "xlsx" | "pdf";
      recipients: Array<string>;
      frequency: "daily" | "weekly" | "monthly";
      hour: number;
      active: boolean;
      ownerId: string;
      ownerName: string;
      lastRunAt: string | null;
      nextRunAt: string;
      createdAt: string;
    };
  };
  /** POST /api/services: Create services */
  postServices: {
    params: never;
    query: never;
    body: {
      name: string;
      key?: string;
      channel: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api";
      channelAccountId?: string | null;
      teamIds?: Array<string>;
      /** checked by the flow validator: no unreachable or dead-end step */
      botFlow?: {
        version: 1;
        start: string;
        steps: {
          [key: string]: {
            kind: "message";
            text: string;
            next: string;
          } | {
            kind: "answer";
            text: string;
            next: string;
          } | {
            kind: "menu";
            text: string;
            options: Array<{
              id: string;
              label: string;
              /** extra words that pick this option on text channels */
              keywords?: Array<string>;
              next: string;
            }>;
            retryText?: string;
            onFail?: string;
            maxAttempts?: number;
          } | {
            kind: "question";
            text: string;
            field: "name" | "cpf" | "email" | "phone" | "order_number" | "text";
            saveAs?: string;
            retryText: string;
            maxAttempts?: number;
            next: string;
            onFail: string;
          } | {
            kind: "transfer";
            /** absent: the flow’s own service */
            serviceId?: string;
            text?: string;
          } | {
            kind: "end";
            text: string;
          };
        };
      } | null;
      serviceLevelSeconds?: number;
      tmaGoalSeconds?: number;
      botTimeoutSeconds?: number;
      queueTimeoutSeconds?: number;
      inactivityTimeoutSeconds?: number;
      emailTriage?: boolean;
      emailSignature?: string | null;
      /** loopback, private and link-local targets are refused (422) unless the setting allowPrivateWebhookTargets is on */
      outboundWebhookUrl?: string | null;
      businessHours?: {
        weekly: {
          sun?: Array<{
            start: string;
            end: string;
          }>;
          mon?: Array<{
            start: string;
            end: string;
          }>;
          tue?: Array<{
            start: string;
            end: string;
          }>;
          wed?: Array<{
            start: string;
            end: string;
          }>;
          thu?: Array<{
            start: string;
            end: string;
          }>;
          fri?: Array<{
            start: string;
            end: string;
          }>;
          sat?: Array<{
            start: string;
            end: string;
          }>;
        };
        holidays?: Array<{
          date: string;
          name?: string;
        }>;
        closedMessage?: string | null;
        outsideHours?: "queue" | "leave_message";
      } | null;
      prechatForm?: Array<{
        field: "name" | "email" | "phone" | "cpf";
        /** the SAC decree: by default no field blocks reaching an attendant */
        required: boolean;
      }>;
      outboundReply?: "agent" | "queue";
      protocolUpdateTemplateId?: string | null;
      protocolUpdateOn?: Array<"completed" | "cancelled" | "inactive_in_service" | "customer_gave_up" | "transferred">;
      customerCalls?: boolean;
      active?: boolean;
    };
    response: Schemas["Service"];
  };
  /** POST /api/services/{id}/api-credentials: Issue (or rotate) the API channel token and webhook secret; shown once */
  postServicesByIdApiCredentials: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: {
      /** Bearer token for POST /api/channels/api/{serviceId}/messages */
      token: string;
      /** Standard Webhooks secret (whsec_ + base64 key) that verifies the webhook-signature header of outbound webhooks */
      webhookSecret: string;
    };
  };
  /** POST /api/teams: Create teams */
  postTeams: {
    params: never;
    query: never;
    body: {
      name: string;
      omniEnabled?: boolean;
      maxChat?: number;
      maxEmail?: number;
      active?: boolean;
      agentIds?: Array<string>;
      supervisorIds?: Array<string>;
    };
    response: Schemas["Team"];
  };
  /** POST /api/template-categories: Create template-categories */
  postTemplateCategories: {
    params: never;
    query: never;
    body: {
      code: number;
      title: string;
      type: "protocol_update" | "notification" | "billing" | "satisfaction_survey" | "marketing";
      active?: boolean;
    };
    response: Schemas["TemplateCategory"];
  };
  /** POST /api/templates: Create templates */
  postTemplates: {
    params: never;
    query: never;
    body: {
      categoryId: string;
      name: string;
      channel?: "webchat" | "email" | "whatsapp" | "instagram" | "facebook" | "telegram" | "sms" | "api" | null;
      language?: string;
      body: string;
      providerTemplate?: string | null;
      channelAccountId?: string | null;
      providerCategory?: "MARKETING" | "UTILITY" | "AUTHENTICATION" | null;
      header?: string | null;
      footer?: string | null;
      buttons?: Array<{
        type: "QUICK_REPLY";
        text: string;
      } | {
        type: "URL";
        text: string;
        url: string;
      } | {
        type: "PHONE_NUMBER";
        text: string;
        phoneNumber: string;
      }>;
      examples?: Array<string>;
      active?: boolean;
    };
    response: Schemas["Template"];
  };
  /** POST /api/templates/{id}/submit: Enviar para aprovação: submits the template to its WhatsApp account's provider; answers the template with the provider's id and status (PENDING until the provider's webhook) */
  postTemplatesByIdSubmit: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Template"];
  };
  /** POST /api/templates/{id}/sync: Sincronizar: reads the statuses and quality of the templates of this template's WhatsApp account from the provider; answers this template */
  postTemplatesByIdSync: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["Template"];
  };
  /** POST /api/users: Create users */
  postUsers: {
    params: never;
    query: never;
    body: {
      email: string;
      name: string;
      role: "admin" | "supervisor" | "agent";
      password: string;
      language?: "pt-BR" | "en";
      agentEnabled?: boolean;
      privacyOfficer?: boolean;
      active?: boolean;
      teamIds?: Array<string>;
      supervisedTeamIds?: Array<string>;
    };
    response: Schemas["User"];
  };
  /** POST /api/users/{id}/end-sessions: End every session of a user (audited); their sockets close on every node */
  postUsersByIdEndSessions: {
    params: {
      id: string;
    };
    query: never;
    body: never;
    response: Schemas["EndedSessions"];
  };
  /** POST /webchat/attachments: Upload a file (≤ 10 MB; images, PDF, text, Word, Excel) to send in a message of the visitor’s open conversation */
  postWebchatAttachments: {
    params: never;
    query: never;
    body: {
      file: Blob;
    } | Blob;
    response: {
      id: string;
      name: string;
      type: string;
      size: number;
      /** for the visitor who sent or received it: absolute, with the visitor’s token; use as is */
      url: string;
    };
  };
  /** POST /webchat/visitors: A new visitor identity (id + token, kept by the widget); 20 a minute per IP */
  postWebchatVisitors: {
    params: never;
    query: never;
    body: {
      serviceKey: string;
    };
    response: {
      visitorId: string;
      token: string;
    };
  };
  /** POST /webhooks/{channel}/{accountId}: A provider delivers messages and receipts (answered once they are durable) */
  postWebhooksByChannelByAccountId: {
    params: {
      channel: string;
      accountId: string;
    };
    query: never;
    body: never;
    response: unknown;
  };
  /** PUT /api/conversations/{id}/contact/opt-out: Marks (optedOut: true, with an optional reason) or unmarks the conversation's contact as opted out of active messages (audited) */
  putConversationsByIdContactOptOut: {
    params: {
      id: string;
    };
    query: never;
    body: {
      optedOut: boolean;
      reason?: string | null;
    };
    response: {
      contactId: string;
      optedOut: boolean;
      optedOutAt: string | null;
      /** "customer: SAIR" when the customer wrote the word; the agent's reason otherwise */
      reason: string | null;
      /** the agent who marked it; null when the customer asked */
      byUserId: string | null;
      byUserName: string | null;
    };
  };
  /** PUT /api/services/{id}/wrapup-fields: Replace the wrap-up fields of a service (the whole ordered list; audited) */
  putServicesByIdWrapupFields: {
    params: {
      id: string;
    };
    query: never;
    body: {
      /** every field of the service, in order; [] removes them all */
      items: Array<{
        /** the value’s name in FinishBody.fields */
        key: string;
        label: string;
        type: "text" | "number" | "select" | "boolean";
        options?: Array<string>;
        /** default false */
        required?: boolean;
        /** ignored: the order of the list decides */
        position?: number;
      }>;
    };
    response: Schemas["WrapupFieldList"];
  };
  /** PUT /api/settings/{key}: Set one parameter */
  putSettingsByKey: {
    params: {
      key: "timezone" | "companyName" | "timeInState" | "noInteractionMinutes" | "shortAbandonSeconds" | "serviceLevel" | "timeouts" | "alerts" | "allowPrivateWebhookTargets" | "retention" | "optOut";
    };
    query: never;
    body: {
      value: unknown;
    };
    response: Schemas["Setting"];
  };
}

export const OPERATIONS = {
  deleteAuthSessionsById: { method: 'DELETE', path: '/api/auth/sessions/{id}' },
  deleteChannelAccountsById: { method: 'DELETE', path: '/api/channel-accounts/{id}' },
  deleteClassificationsById: { method: 'DELETE', path: '/api/classifications/{id}' },
  deletePauseReasonsById: { method: 'DELETE', path: '/api/pause-reasons/{id}' },
  deleteReportSchedulesById: { method: 'DELETE', path: '/api/report-schedules/{id}' },
  deleteServicesById: { method: 'DELETE', path: '/api/services/{id}' },
  deleteSettingsByKey: { method: 'DELETE', path: '/api/settings/{key}' },
  deleteTeamsById: { method: 'DELETE', path: '/api/teams/{id}' },
  deleteTemplateCategoriesById: { method: 'DELETE', path: '/api/template-categories/{id}' },
  deleteTemplatesById: { method: 'DELETE', path: '/api/templates/{id}' },
  deleteUsersById: { method: 'DELETE', path: '/api/users/{id}' },
  getAgentContacts: { method: 'GET', path: '/api/agent/contacts' },
  getAgentPresence: { method: 'GET', path: '/api/agent/presence' },
  getAlerts: { method: 'GET', path: '/api/alerts' },
  getAnalysisAgents: { method: 'GET', path: '/api/analysis/agents' },
  getAnalysisAgentsByIdConversations: { method: 'GET', path: '/api/analysis/agents/{id}/conversations' },
  getAnalysisOutbound: { method: 'GET', path: '/api/analysis/outbound' },
  getAnalysisQueue: { method: 'GET', path: '/api/analysis/queue' },
  getAttachmentsById: { method: 'GET', path: '/api/attachments/{id}' },
  getAudit: { method: 'GET', path: '/api/audit' },
  getAuthMe: { method: 'GET', path: '/api/auth/me' },
  getAuthSessions: { method: 'GET', path: '/api/auth/sessions' },
  getCampaigns: { method: 'GET', path: '/api/campaigns' },
  getCampaignsById: { method: 'GET', path: '/api/campaigns/{id}' },
  getCampaignsByIdRecipients: { method: 'GET', path: '/api/campaigns/{id}/recipients' },
  getChannelAccounts: { method: 'GET', path: '/api/channel-accounts' },
  getChannelAccountsById: { method: 'GET', path: '/api/channel-accounts/{id}' },
  getChartsChannels: { method: 'GET', path: '/api/charts/channels' },
  getChartsMetrics: { method: 'GET', path: '/api/charts/metrics' },
  getChartsMetricsDetailed: { method: 'GET', path: '/api/charts/metrics/detailed' },
  getClassifications: { method: 'GET', path: '/api/classifications' },
  getClassificationsById: { method: 'GET', path: '/api/classifications/{id}' },
  getContacts: { method: 'GET', path: '/api/contacts' },
  getContactsById: { method: 'GET', path: '/api/contacts/{id}' },
  getContactsByIdHistory: { method: 'GET', path: '/api/contacts/{id}/history' },
  getConversations: { method: 'GET', path: '/api/conversations' },
  getConversationsById: { method: 'GET', path: '/api/conversations/{id}' },
  getConversationsByIdCalls: { method: 'GET', path: '/api/conversations/{id}/calls' },
  getConversationsByIdContactOptOut: { method: 'GET', path: '/api/conversations/{id}/contact/opt-out' },
  getConversationsByIdTransferTargets: { method: 'GET', path: '/api/conversations/{id}/transfer-targets' },
  getEmailTriage: { method: 'GET', path: '/api/email-triage' },
  getHealthz: { method: 'GET', path: '/healthz' },
  getIndicators: { method: 'GET', path: '/api/indicators' },
  getIndicatorsConversations: { method: 'GET', path: '/api/indicators/conversations' },
  getLgpdContacts: { method: 'GET', path: '/api/lgpd/contacts' },
  getLgpdContactsByIdAccesses: { method: 'GET', path: '/api/lgpd/contacts/{id}/accesses' },
  getLookbackConversations: { method: 'GET', path: '/api/lookback/conversations' },
  getMediaByAttachmentId: { method: 'GET', path: '/media/{attachmentId}' },
  getMonitorConversations: { method: 'GET', path: '/api/monitor/conversations' },
  getMonitorSnapshot: { method: 'GET', path: '/api/monitor/snapshot' },
  getPauseReasons: { method: 'GET', path: '/api/pause-reasons' },
  getPauseReasonsById: { method: 'GET', path: '/api/pause-reasons/{id}' },
  getReports: { method: 'GET', path: '/api/reports' },
  getReportsById: { method: 'GET', path: '/api/reports/{id}' },
  getReportSchedules: { method: 'GET', path: '/api/report-schedules' },
  getReportSchedulesById: { method: 'GET', path: '/api/report-schedules/{id}' },
  getRetentionPreview: { method: 'GET', path: '/api/retention/preview' },
  getServices: { method: 'GET', path: '/api/services' },
  getServicesById: { method: 'GET', path: '/api/services/{id}' },
  getServicesByIdWrapupFields: { method: 'GET', path: '/api/services/{id}/wrapup-fields' },
  getSettings: { method: 'GET', path: '/api/settings' },
  getSettingsByKey: { method: 'GET', path: '/api/settings/{key}' },
  getTeams: { method: 'GET', path: '/api/teams' },
  getTeamsById: { method: 'GET', path: '/api/teams/{id}' },
  getTemplateCategories: { method: 'GET', path: '/api/template-categories' },
  getTemplateCategoriesById: { method: 'GET', path: '/api/template-categories/{id}' },
  getTemplates: { method: 'GET', path: '/api/templates' },
  getTemplatesById: { method: 'GET', path: '/api/templates/{id}' },
  getUsers: { method: 'GET', path: '/api/users' },
  getUsersById: { method: 'GET', path: '/api/users/{id}' },
  getVersion: { method: 'GET', path: '/api/version' },
  getWebchatAttachmentsById: { method: 'GET', path: '/webchat/attachments/{id}' },
  getWebchatConfigByServiceKey: { method: 'GET', path: '/webchat/config/{serviceKey}' },
  getWebhooksByChannelByAccountId: { method: 'GET', path: '/webhooks/{channel}/{accountId}' },
  getWhatsappWallet: { method: 'GET', path: '/api/whatsapp/wallet' },
  patchAuthMe: { method: 'PATCH', path: '/api/auth/me' },
  patchChannelAccountsById: { method: 'PATCH', path: '/api/channel-accounts/{id}' },
  patchClassificationsById: { method: 'PATCH', path: '/api/classifications/{id}' },
  patchContactsById: { method: 'PATCH', path: '/api/contacts/{id}' },
  patchPauseReasonsById: { method: 'PATCH', path: '/api/pause-reasons/{id}' },
  patchReportSchedulesById: { method: 'PATCH', path: '/api/report-schedules/{id}' },
  patchServicesById: { method: 'PATCH', path: '/api/services/{id}' },
  patchSettings: { method: 'PATCH', path: '/api/settings' },
  patchTeamsById: { method: 'PATCH', path: '/api/teams/{id}' },
  patchTemplateCategoriesById: { method: 'PATCH', path: '/api/template-categories/{id}' },
  patchTemplatesById: { method: 'PATCH', path: '/api/templates/{id}' },
  patchUsersById: { method: 'PATCH', path: '/api/users/{id}' },
  postAgentHeartbeat: { method: 'POST', path: '/api/agent/heartbeat' },
  postAgentLogin: { method: 'POST', path: '/api/agent/login' },
  postAgentLogout: { method: 'POST', path: '/api/agent/logout' },
  postAgentPause: { method: 'POST', path: '/api/agent/pause' },
  postAgentResume: { method: 'POST', path: '/api/agent/resume' },
  postAlertsByIdRead: { method: 'POST', path: '/api/alerts/{id}/read' },
  postAlertsReadAll: { method: 'POST', path: '/api/alerts/read-all' },
  postAuthLogin: { method: 'POST', path: '/api/auth/login' },
  postAuthLogout: { method: 'POST', path: '/api/auth/logout' },
  postAuthSessionsEndOthers: { method: 'POST', path: '/api/auth/sessions/end-others' },
  postCampaigns: { method: 'POST', path: '/api/campaigns' },
  postCampaignsByIdCancel: { method: 'POST', path: '/api/campaigns/{id}/cancel' },
  postCampaignsByIdPause: { method: 'POST', path: '/api/campaigns/{id}/pause' },
  postCampaignsByIdResume: { method: 'POST', path: '/api/campaigns/{id}/resume' },
  postCampaignsValidate: { method: 'POST', path: '/api/campaigns/validate' },
  postChannelAccounts: { method: 'POST', path: '/api/channel-accounts' },
  postChannelAccountsByIdTest: { method: 'POST', path: '/api/channel-accounts/{id}/test' },
  postChannelsApiByServiceIdMessages: { method: 'POST', path: '/api/channels/api/{serviceId}/messages' },
  postClassifications: { method: 'POST', path: '/api/classifications' },
  postContactsByIdAnonymize: { method: 'POST', path: '/api/contacts/{id}/anonymize' },
  postConversationsAssign: { method: 'POST', path: '/api/conversations/assign' },
  postConversationsByIdAssign: { method: 'POST', path: '/api/conversations/{id}/assign' },
  postConversationsByIdAttachments: { method: 'POST', path: '/api/conversations/{id}/attachments' },
  postConversationsByIdFinish: { method: 'POST', path: '/api/conversations/{id}/finish' },
  postConversationsByIdMessages: { method: 'POST', path: '/api/conversations/{id}/messages' },
  postConversationsByIdReturnToQueue: { method: 'POST', path: '/api/conversations/{id}/return-to-queue' },
  postConversationsByIdTransfer: { method: 'POST', path: '/api/conversations/{id}/transfer' },
  postConversationsByIdWhispers: { method: 'POST', path: '/api/conversations/{id}/whispers' },
  postConversationsByIdWhispersRead: { method: 'POST', path: '/api/conversations/{id}/whispers/read' },
  postConversationsOutbound: { method: 'POST', path: '/api/conversations/outbound' },
  postConversationsReturnToQueue: { method: 'POST', path: '/api/conversations/return-to-queue' },
  postEmailTriageAccept: { method: 'POST', path: '/api/email-triage/accept' },
  postEmailTriageDiscard: { method: 'POST', path: '/api/email-triage/discard' },
  postPauseReasons: { method: 'POST', path: '/api/pause-reasons' },
  postReportSchedules: { method: 'POST', path: '/api/report-schedules' },
  postServices: { method: 'POST', path: '/api/services' },
  postServicesByIdApiCredentials: { method: 'POST', path: '/api/services/{id}/api-credentials' },
  postTeams: { method: 'POST', path: '/api/teams' },
  postTemplateCategories: { method: 'POST', path: '/api/template-categories' },
  postTemplates: { method: 'POST', path: '/api/templates' },
  postTemplatesByIdSubmit: { method: 'POST', path: '/api/templates/{id}/submit' },
  postTemplatesByIdSync: { method: 'POST', path: '/api/templates/{id}/sync' },
  postUsers: { method: 'POST', path: '/api/users' },
  postUsersByIdEndSessions: { method: 'POST', path: '/api/users/{id}/end-sessions' },
  postWebchatAttachments: { method: 'POST', path: '/webchat/attachments' },
  postWebchatVisitors: { method: 'POST', path: '/webchat/visitors' },
  postWebhooksByChannelByAccountId: { method: 'POST', path: '/webhooks/{channel}/{accountId}' },
  putConversationsByIdContactOptOut: { method: 'PUT', path: '/api/conversations/{id}/contact/opt-out' },
  putServicesByIdWrapupFields: { method: 'PUT', path: '/api/services/{id}/wrapup-fields' },
  putSettingsByKey: { method: 'PUT', path: '/api/settings/{key}' },
} as const satisfies Record<keyof Operations, { method: string; path: string }>;
